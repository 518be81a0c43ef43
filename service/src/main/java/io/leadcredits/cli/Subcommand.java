package io.leadcredits.cli;

/**
 * A command of {@code leadcredits} that lives outside the service (the benchmark's {@code bench}):
 * found on the class path through {@link java.util.ServiceLoader}, so the service depends on none
 * of them and runs without them. An implementation is a picocli {@code @Command} with a public
 * constructor taking no arguments.
 */
public interface Subcommand {}
