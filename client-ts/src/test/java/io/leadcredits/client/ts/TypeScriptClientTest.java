package io.leadcredits.client.ts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.leadcredits.auth.Role;
import io.leadcredits.support.Checkout;
import io.leadcredits.support.RunningService;
import io.leadcredits.testkit.Contract;
import io.leadcredits.testkit.ContractProxy;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TypeScript client built as an integrator builds it (the code generated from the OpenAPI
 * document at this build, the hand-written layer, TypeScript from npm) and its Node tests run
 * against a live service. Needs Node 18 or later: without it the test is skipped, and fails under
 * {@code CI=true} (.ci/run installs Debian's nodejs and npm).
 */
class TypeScriptClientTest {
  @TempDir Path dataDir;

  @Test
  void theNodeTestsPassAgainstALiveService() throws Exception {
    String node = nodeVersion();
    boolean ci = "true".equals(System.getenv("CI"));
    assertThat(node != null || !ci).as("node and npm are needed under CI=true").isTrue();
    assumeTrue(
        node != null, "node 18+ and npm are not installed: the TypeScript client is not tested");

    Path module = Checkout.resolve("client-ts");
    Path work = module.resolve("target/ts-work");
    copy(module.resolve("node"), work);
    copy(module.resolve("target/generated-ts"), work.resolve("generated"));
    run(work, Map.of(), 600, "npm", "ci", "--no-audit", "--no-fund");
    run(work, Map.of(), 300, "npx", "tsc", "-p", ".");

    try (RunningService service = new RunningService(dataDir);
        // The Node tests reach the service through the proxy, so the document judges their answers
        // as HttpApi judges the Java tests'.
        ContractProxy proxy =
            new ContractProxy(
                URI.create("http://127.0.0.1:" + service.engine().httpPort()),
                Contract.fromClassPath().orElseThrow())) {
      String output =
          run(
              work,
              Map.of(
                  "LEADCREDITS_URL", proxy.uri().toString(),
                  "LEADCREDITS_ADMIN_TOKEN", service.admin(),
                  "LEADCREDITS_TRADIE_TOKEN", service.token("ts-tradie", Role.TRADIE)),
              300,
              "node",
              "--test",
              "dist/test/");
      assertThat(output).contains("# fail 0").containsPattern("# pass [1-9]");
      System.out.println("the contract proxy judged " + proxy.answers().size() + " answers");
      assertThat(proxy.requests()).as("requests the Node tests sent to the service").isPositive();
      assertThat(proxy.answers()).as("answers judged, one per request").hasSize(proxy.requests());
      assertThat(proxy.answers())
          .extracting(ContractProxy.Answer::target)
          .as("the operations the Node tests call")
          .anyMatch(t -> t.startsWith("/api/accounts/ts-ann/credits"))
          .anyMatch(t -> t.startsWith("/api/leads/ts-job/claim"))
          .anyMatch(t -> t.startsWith("/api/events"));
      assertThat(proxy.violations()).as("answers the OpenAPI document does not allow").isEmpty();
    }
  }

  /** Node's version when node 18+ and npm run here, else null. */
  private static String nodeVersion() {
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0 || !v.matches("v\\d+\\..*")) {
        return null;
      }
      Process npm = new ProcessBuilder("npm", "--version").redirectErrorStream(true).start();
      npm.getInputStream().readAllBytes();
      if (!npm.waitFor(60, TimeUnit.SECONDS) || npm.exitValue() != 0) {
        return null;
      }
      return Integer.parseInt(v.substring(1, v.indexOf('.'))) >= 18 ? v : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String run(Path dir, Map<String, String> env, int seconds, String... command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    builder.environment().putAll(env);
    Path log = Files.createTempFile("client-ts", ".log");
    Process p = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();
    boolean ended = p.waitFor(seconds, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }
    String output = Files.readString(log);
    System.out.println(output);
    assertThat(ended)
        .as("%s ended within %d s:%n%s", String.join(" ", command), seconds, output)
        .isTrue();
    assertThat(p.exitValue()).as("%s:%n%s", String.join(" ", command), output).isZero();
    return output;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
