package io.leadcredits.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bodies of the reads a run makes, checked as they arrive: a 200 whose body is not the account
 * asked for, with the balance it must have, is a wrong answer however fast it came. Thread-safe:
 * the load client's completion threads record into it.
 */
final class ReadChecks {
  private static final ObjectMapper mapper = new ObjectMapper();
  private static final int problemsKeptMax = 10;

  private final AtomicLong checked = new AtomicLong();
  private final AtomicLong wrong = new AtomicLong();
  private final List<String> problems = new ArrayList<>();

  /**
   * What is wrong with a balance read's body ({@code GET /api/credits/balance}), or null: it must
   * be the account {@code accountId} with {@code balance} credits, none of them reserved.
   */
  static String balanceProblem(String accountId, long balance, byte[] body) {
    JsonNode read;
    try {
      read = body == null ? null : mapper.readTree(body);
    } catch (IOException e) {
      return accountId + ": the body is not JSON";
    }
    if (read == null || !read.isObject()) {
      return accountId + ": no account in the body";
    }
    if (!accountId.equals(read.path("accountId").asText(null))) {
      return accountId + ": the body is account " + read.path("accountId");
    }
    long found = read.path("balance").asLong(-1);
    long available = read.path("available").asLong(-1);
    long reserved = read.path("reserved").asLong(-1);
    if (found != balance || available != balance || reserved != 0) {
      return f(
          "%s: balance %d, available %d, reserved %d; expected %d, %d, 0",
          accountId, found, available, reserved, balance, balance);
    }
    return null;
  }

  /** Checks one 200's body of a balance read; other statuses are the report's errors. */
  void balance(String accountId, long balance, int status, byte[] body) {
    if (status != 200) {
      return;
    }
    checked.incrementAndGet();
    String problem = balanceProblem(accountId, balance, body);
    if (problem != null) {
      wrong.incrementAndGet();
      synchronized (problems) {
        if (problems.size() < problemsKeptMax) {
          problems.add(problem);
        }
      }
    }
  }

  long checked() {
    return checked.get();
  }

  /** The violations, one line for the run's problems, or none. */
  List<String> problems() {
    if (wrong.get() == 0) {
      return List.of();
    }
    synchronized (problems) {
      return List.of(
          f("%d of %d bodies read were wrong, e.g. %s", wrong.get(), checked.get(), problems));
    }
  }

  private static String f(String format, Object... args) {
    return String.format(java.util.Locale.ROOT, format, args);
  }
}
