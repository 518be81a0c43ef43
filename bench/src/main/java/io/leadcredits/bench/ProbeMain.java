package io.leadcredits.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/**
 * Entry point of a probe's child JVM: {@code heap N} or {@code recovery URL USER PASSWORD EVENTS}.
 * Prints one line, {@code PROBE {json}}, and exits; a probe gets a JVM of its own so its heap holds
 * nothing but what it measures.
 */
public final class ProbeMain {
  static final String prefix = "PROBE ";

  private ProbeMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, Object> result =
        switch (args[0]) {
          case "heap" -> HeapProbe.run(Integer.parseInt(args[1]));
          case "recovery" ->
              RecoveryProbe.run(args[1], args[2], args[3], Integer.parseInt(args[4]));
          default -> throw new IllegalArgumentException("unknown probe " + args[0]);
        };
    System.out.println(prefix + new ObjectMapper().writeValueAsString(result));
    System.out.flush();
    System.exit(0);
  }
}
