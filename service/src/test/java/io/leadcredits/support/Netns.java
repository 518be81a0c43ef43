package io.leadcredits.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Test hosts on one machine: a Linux network namespace per host, each with its own address on a
 * private bridge in the machine's own namespace, so that the test can cut the network between
 * chosen hosts while each still reaches the machine (its database, the test's HTTP client). A cut
 * is a pair of blackhole routes, one on each side: packets between the two hosts are dropped as a
 * broken link would drop them, in both directions. Needs root and iproute2's {@code ip}; {@link
 * #available()} tells.
 */
public final class Netns implements AutoCloseable {
  private static final String PREFIX = "lcn";

  private final String id;
  private final int subnet;
  private final int size;
  private final List<String[]> cuts = new ArrayList<>();

  private Netns(String id, int subnet, int size) {
    this.id = id;
    this.subnet = subnet;
    this.size = size;
  }

  /** Whether this machine lets the test create a network namespace. */
  public static boolean available() {
    String probe = PREFIX + "probe" + ThreadLocalRandom.current().nextInt(10_000);
    try {
      if (ip(false, "netns", "add", probe) != 0) {
        return false;
      }
      ip(false, "netns", "del", probe);
      return true;
    } catch (RuntimeException e) {
      return false; // no ip command
    }
  }

  /** {@code size} hosts on a fresh bridge; leftovers of an earlier run that died are removed. */
  public static Netns create(int size) {
    removeLeftovers();
    String id = Integer.toString(ThreadLocalRandom.current().nextInt(100, 1000));
    int subnet = ThreadLocalRandom.current().nextInt(1, 250);
    Netns net = new Netns(id, subnet, size);
    try {
      String bridge = net.bridge();
      ip(true, "link", "add", bridge, "type", "bridge");
      ip(true, "addr", "add", net.hostAddress() + "/24", "dev", bridge);
      ip(true, "link", "set", bridge, "up");
      for (int i = 0; i < size; i++) {
        String ns = net.namespace(i);
        String veth = PREFIX + id + "v" + i;
        ip(true, "netns", "add", ns);
        ip(true, "link", "add", veth, "type", "veth", "peer", "name", "eth0", "netns", ns);
        ip(true, "link", "set", veth, "master", bridge, "up");
        ip(true, "-n", ns, "link", "set", "lo", "up");
        ip(true, "-n", ns, "addr", "add", net.address(i) + "/24", "dev", "eth0");
        ip(true, "-n", ns, "link", "set", "eth0", "up");
        ip(true, "-n", ns, "route", "add", "default", "via", net.hostAddress());
      }
    } catch (RuntimeException | Error e) {
      net.close();
      throw e;
    }
    return net;
  }

  /** The machine's own address on the bridge: what every host reaches the machine by. */
  public String hostAddress() {
    return "10.213." + subnet + ".1";
  }

  /** Host {@code i}'s address. */
  public String address(int i) {
    return "10.213." + subnet + "." + (10 + i);
  }

  /** The command prefix that runs a program on host {@code i}. */
  public List<String> exec(int i) {
    return List.of("ip", "netns", "exec", namespace(i));
  }

  public int size() {
    return size;
  }

  /** Host {@code i} and every other host stop reaching each other; the machine stays reachable. */
  public void cutOff(int i) {
    for (int j = 0; j < size; j++) {
      if (j != i) {
        cut(namespace(i), address(j));
        cut(namespace(j), address(i));
      }
    }
  }

  private void cut(String ns, String peer) {
    ip(true, "-n", ns, "route", "add", "blackhole", peer + "/32");
    cuts.add(new String[] {ns, peer});
  }

  /** Every cut mended. */
  public void heal() {
    for (String[] c : cuts) {
      ip(true, "-n", c[0], "route", "del", "blackhole", c[1] + "/32");
    }
    cuts.clear();
  }

  /** Removes the hosts and the bridge (the veths go with their namespaces). */
  @Override
  public void close() {
    for (int i = 0; i < size; i++) {
      ip(false, "netns", "del", namespace(i));
    }
    ip(false, "link", "del", bridge());
  }

  private String namespace(int i) {
    return PREFIX + id + "h" + i;
  }

  private String bridge() {
    return PREFIX + id + "br";
  }

  private static void removeLeftovers() {
    for (String line : ipOutput("netns", "list")) {
      String ns = line.split(" ")[0];
      if (ns.startsWith(PREFIX)) {
        ip(false, "netns", "del", ns);
      }
    }
    for (String line : ipOutput("-o", "link", "show", "type", "bridge")) {
      String[] parts = line.split(":");
      if (parts.length > 1 && parts[1].trim().startsWith(PREFIX)) {
        ip(false, "link", "del", parts[1].trim());
      }
    }
  }

  private static int ip(boolean mustSucceed, String... args) {
    Ran ran = run(args);
    if (mustSucceed && ran.exit() != 0) {
      throw new AssertionError("ip " + String.join(" ", args) + " failed: " + ran.output().strip());
    }
    return ran.exit();
  }

  private static List<String> ipOutput(String... args) {
    return run(args).output().lines().toList();
  }

  private record Ran(int exit, String output) {}

  private static Ran run(String... args) {
    List<String> command = new ArrayList<>(List.of("ip"));
    command.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(command + " did not finish");
      }
      return new Ran(p.exitValue(), output);
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + command, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
