package io.leadcredits.bench;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The commit the benchmark's code was built from, read with git where the code lies
 * (target/leadcredits.jar or target/classes of a checkout); null outside a checkout or without git.
 * A checkout with uncommitted changes to tracked files says so: {@code <hash>-dirty}.
 */
final class GitCommit {
  private static final Duration gitWaitMax = Duration.ofSeconds(10);

  private GitCommit() {}

  /** The commit, or null: knowing it helps to read a soak, not knowing it must not stop one. */
  static String current() throws InterruptedException {
    try {
      Path code =
          Path.of(GitCommit.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path dir = Files.isDirectory(code) ? code : code.getParent();
      String hash = git(dir, "rev-parse", "HEAD");
      if (hash == null) {
        return null;
      }
      String changes = git(dir, "status", "--porcelain", "--untracked-files=no");
      return changes == null || changes.isEmpty() ? hash : hash + "-dirty";
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return null;
    }
  }

  /** git's output, trimmed, or null when it failed. */
  private static String git(Path dir, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git", "-C", dir.toString()));
    command.addAll(List.of(args));
    Path output = Files.createTempFile("leadcredits-git", ".txt");
    try {
      Process git =
          new ProcessBuilder(command)
              .redirectOutput(output.toFile())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!git.waitFor(gitWaitMax.toSeconds(), TimeUnit.SECONDS)) {
        git.destroyForcibly();
        return null;
      }
      return git.exitValue() == 0 ? Files.readString(output, StandardCharsets.UTF_8).strip() : null;
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
