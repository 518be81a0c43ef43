package io.leadcredits.it;

import io.leadcredits.Rejection;
import io.leadcredits.account.AccountReply;
import io.leadcredits.account.AccountView;
import io.leadcredits.account.TransactionType;
import io.leadcredits.claim.ClaimReply;
import io.leadcredits.claim.ClaimResult;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.lead.LeadReply;
import io.leadcredits.lead.LeadStatus;
import io.leadcredits.lead.LeadView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The operations of {@link EnginesAgreeTest}: what each sends to an engine and reads back, the
 * answers reduced to what every engine must agree on, and the generator of random sequences.
 */
final class SequenceOps {
  private SequenceOps() {}

  // ---- answers ------------------------------------------------------------------------------

  /** An engine's reply, reduced to what every engine must agree on. */
  sealed interface Answer {}

  record Refused(Rejection reason) implements Answer {}

  /** Anything but a definite answer: an unavailable or overloaded reply, a failed call. */
  record NoAnswer(String what) implements Answer {}

  /**
   * An accepted account command. {@code holds} ("id:amount", by id) only on a read: the sql
   * engine's change replies list only the hold they name, by design. A hold's expiry is left out:
   * each engine adds the ttl to its own clock.
   */
  record AccountAnswer(
      long balanceAfter,
      boolean replayed,
      long balance,
      long reserved,
      long available,
      long version,
      List<String> holds)
      implements Answer {}

  record LeadAnswer(
      boolean replayed,
      long creditCost,
      int maxClaims,
      LeadStatus status,
      Instant expiresAt,
      List<String> claims,
      long version)
      implements Answer {}

  record ClaimAnswer(
      boolean replayed, String claimId, String tradieId, long creditsUsed, long balanceAfter)
      implements Answer {}

  /** An account's audit trail; the times of its entries are each engine's own. */
  record Trail(List<TrailItem> items) implements Answer {}

  record TrailItem(
      long version,
      String transactionId,
      TransactionType type,
      long amount,
      long balanceBefore,
      long balanceAfter,
      long reservedBefore,
      long reservedAfter,
      Map<String, String> metadata) {}

  static Answer of(AccountReply reply, boolean read) {
    if (reply instanceof AccountReply.Rejected r) {
      return new Refused(r.reason());
    }
    if (!(reply instanceof AccountReply.Accepted a)) {
      return new NoAnswer(reply.toString());
    }
    AccountView v = a.view();
    List<String> holds =
        read ? v.holds().stream().map(h -> h.holdId() + ":" + h.amount()).sorted().toList() : null;
    return new AccountAnswer(
        a.balanceAfter(),
        a.replayed(),
        v.balance(),
        v.reserved(),
        v.available(),
        v.version(),
        holds);
  }

  static Answer of(LeadReply reply) {
    if (reply instanceof LeadReply.Rejected r) {
      return new Refused(r.reason());
    }
    LeadReply.Accepted a = (LeadReply.Accepted) reply;
    LeadView v = a.view();
    List<String> claims = v.claims().stream().map(c -> c.tradieId() + "/" + c.claimId()).toList();
    return new LeadAnswer(
        a.replayed(),
        v.creditCost(),
        v.maxClaims(),
        v.status(),
        v.expiresAt(),
        claims,
        v.version());
  }

  static Answer of(ClaimReply reply) {
    if (reply instanceof ClaimReply.Rejected r) {
      return new Refused(r.reason());
    }
    if (!(reply instanceof ClaimReply.Claimed c)) {
      return new NoAnswer(reply.toString());
    }
    ClaimResult r = c.result();
    return new ClaimAnswer(c.replayed(), r.claimId(), r.tradieId(), r.creditsUsed(), r.balance());
  }

  /** The outcome an answer stands for, for the mix of outcomes a run reached. */
  static String outcome(Answer answer) {
    if (answer instanceof Refused r) {
      return r.reason().name();
    }
    boolean replayed =
        answer instanceof AccountAnswer a
            ? a.replayed()
            : answer instanceof LeadAnswer l
                ? l.replayed()
                : answer instanceof ClaimAnswer c && c.replayed();
    return answer instanceof NoAnswer ? "no answer" : replayed ? "replayed" : "accepted";
  }

  // ---- operations ---------------------------------------------------------------------------

  /** One operation: sent, then what it touched read back; the answers in that order. */
  sealed interface Op {
    CompletionStage<List<Answer>> run(CreditEngine engine);
  }

  record Credit(String account, String tx, long amount, Map<String, String> metadata)
      implements Op {
    @Override
    public CompletionStage<List<Answer>> run(CreditEngine e) {
      return thenReadAccount(e, e.credit(account, tx, amount, metadata), account);
    }
  }

  record Debit(String account, String tx, long amount, Map<String, String> metadata) implements Op {
    @Override
    public CompletionStage<List<Answer>> run(CreditEngine e) {
      return thenReadAccount(e, e.debit(account, tx, amount, metadata), account);
    }
  }

  /** {@code ttl} null asks for the default. */
  record Reserve(
      String account, String hold, long amount, Duration ttl, Map<String, String> metadata)
      implements Op {
    @Override
    public CompletionStage<List<Answer>> run(CreditEngine e) {
      return thenReadAccount(e, e.reserve(account, hold, amount, ttl, metadata), account);
    }
  }

  record Capture(String account, String hold) implements Op {
    @Override
    public CompletionStage<List<Answer>> run(CreditEngine e) {
      return thenReadAccount(e, e.capture(account, hold), account);
    }
  }

  record Release(String account, String hold) implements Op {
    @Override
    public CompletionStage<List<Answer>> run(CreditEngine e) {
      return thenReadAccount(e, e.release(account, hold), account);
    }
  }

  record ReadAccount(String account) implements Op {
    @Override
    public CompletionStage<List<Answer>> run(CreditEngine e) {
      return e.account(account).thenApply(r -> List.of(of(r, true)));
    }
  }

  /** {@code expiresAt} null: the lead does not expire. */
  record CreateLead(String lead, long creditCost, int maxClaims, Instant expiresAt) implements Op {
    @Override
    public CompletionStage<List<Answer>> run(CreditEngine e) {
      return thenReadLead(e, e.createLead(lead, creditCost, maxClaims, expiresAt), lead);
    }
  }

  record Claim(String lead, String tradie) implements Op {
    @Override
    public CompletionStage<List<Answer>> run(CreditEngine e) {
      return e.claim(lead, tradie)
          .thenCompose(
              claimed ->
                  e.account(tradie)
                      .thenCompose(
                          account ->
                              e.lead(lead)
                                  .thenApply(
                                      read -> List.of(of(claimed), of(account, true), of(read)))));
    }
  }

  record Close(String lead) implements Op {
    @Override
    public CompletionStage<List<Answer>> run(CreditEngine e) {
      return thenReadLead(e, e.closeLead(lead), lead);
    }
  }

  record ReadLead(String lead) implements Op {
    @Override
    public CompletionStage<List<Answer>> run(CreditEngine e) {
      return e.lead(lead).thenApply(r -> List.of(of(r)));
    }
  }

  private static CompletionStage<List<Answer>> thenReadAccount(
      CreditEngine e, CompletionStage<AccountReply> change, String account) {
    return change.thenCompose(
        changed ->
            e.account(account).thenApply(read -> List.of(of(changed, false), of(read, true))));
  }

  private static CompletionStage<List<Answer>> thenReadLead(
      CreditEngine e, CompletionStage<LeadReply> change, String lead) {
    return change.thenCompose(
        changed -> e.lead(lead).thenApply(read -> List.of(of(changed), of(read))));
  }

  /** Every account a sequence touched, tradies who claimed included. */
  static Set<String> accounts(List<Op> ops) {
    Set<String> accounts = new LinkedHashSet<>();
    for (Op op : ops) {
      if (op instanceof Credit c) {
        accounts.add(c.account());
      } else if (op instanceof Debit d) {
        accounts.add(d.account());
      } else if (op instanceof Reserve r) {
        accounts.add(r.account());
      } else if (op instanceof Claim c) {
        accounts.add(c.tradie());
      }
    }
    return accounts;
  }

  // ---- the generator ------------------------------------------------------------------------

  /**
   * Random sequences over four tradies' accounts and three leads of their own. Amounts are sized so
   * that most changes fit and the refusals still come: top-ups of 10 to 120, debits of up to 50,
   * holds of up to 30, leads of 5 to 40 credits with 1 to 3 slots for 4 tradies (and one with no
   * account at all).
   */
  static final class Generator {
    private static final Instant farFuture = Instant.parse("2100-01-01T00:00:00Z");
    private static final Instant past = Instant.parse("2020-01-01T00:00:00Z");
    private static final List<Map<String, String>> metadatas =
        List.of(Map.of(), Map.of("reason", "top-up"), Map.of("reason", "refund", "ref", "r1"));

    private final Random random;
    private final String prefix;
    private final List<String> tradies = new ArrayList<>();
    private final List<String> leads = new ArrayList<>();
    private final String nobody;
    private final List<Op> repeatable = new ArrayList<>(); // credits, debits and reserves sent
    private final List<Reserve> reserves = new ArrayList<>();
    private final Map<String, CreateLead> created = new HashMap<>();
    private final List<String> credited = new ArrayList<>();
    private int nextId;

    Generator(long seed) {
      this.random = new Random(seed);
      this.prefix = "s" + Long.toString(seed, 36).replace('-', 'm') + "-";
      for (int i = 0; i < 4; i++) {
        tradies.add(prefix + "a" + i);
      }
      for (int i = 0; i < 3; i++) {
        leads.add(prefix + "L" + i);
      }
      this.nobody = prefix + "nobody";
    }

    List<Op> sequence(int length) {
      List<Op> ops = new ArrayList<>(length);
      for (int i = 0; i < length; i++) {
        ops.add(next());
      }
      return ops;
    }

    /** One operation, by these weights (of 100). */
    private Op next() {
      int roll = random.nextInt(100);
      if (roll < 16) {
        return topUp();
      }
      if (roll < 23) {
        return remembered(new Debit(payer(), newId(), between(1, 50), metadata()));
      }
      if (roll < 34) {
        Reserve r = new Reserve(payer(), newId(), between(1, 30), ttl(), metadata());
        reserves.add(r);
        return remembered(r);
      }
      if (roll < 44) {
        String[] target = holdTarget();
        return roll < 40 ? new Capture(target[0], target[1]) : new Release(target[0], target[1]);
      }
      if (roll < 47) {
        return new ReadAccount(random.nextInt(10) == 0 ? nobody : tradie());
      }
      if (roll < 53 || (roll < 71 && created.isEmpty() && random.nextBoolean())) {
        return createLead();
      }
      if (roll < 71) {
        return new Claim(someLead(), random.nextInt(10) == 0 ? nobody : tradie());
      }
      if (roll < 73) {
        return new Close(someLead());
      }
      if (roll < 75) {
        return new ReadLead(pick(leads));
      }
      return repeat(roll < 89);
    }

    /** An earlier credit, debit or reservation sent again: the same request, or another. */
    private Op repeat(boolean same) {
      if (repeatable.isEmpty()) {
        return topUp();
      }
      if (!same) {
        return changed(pick(repeatable));
      }
      return pick(repeatable);
    }

    /**
     * An earlier transaction's id with another payload: another amount, other metadata, another
     * kind, another ttl; or the same request on another account, where the id is new.
     */
    private Op changed(Op earlier) {
      int change = random.nextInt(5);
      if (change == 4) {
        return remembered(onAccount(earlier, otherThan(accountOf(earlier))));
      }
      if (earlier instanceof Credit c) {
        return switch (change) {
          case 0 -> new Credit(c.account(), c.tx(), c.amount() + 1, c.metadata());
          case 2 -> new Debit(c.account(), c.tx(), c.amount(), c.metadata());
          default -> new Credit(c.account(), c.tx(), c.amount(), otherMetadata(c.metadata()));
        };
      }
      if (earlier instanceof Debit d) {
        return switch (change) {
          case 0 -> new Debit(d.account(), d.tx(), d.amount() + 1, d.metadata());
          case 2 -> new Reserve(d.account(), d.tx(), d.amount(), null, d.metadata());
          default -> new Debit(d.account(), d.tx(), d.amount(), otherMetadata(d.metadata()));
        };
      }
      Reserve r = (Reserve) earlier;
      return switch (change) {
        case 0 -> new Reserve(r.account(), r.hold(), r.amount() + 1, r.ttl(), r.metadata());
        case 1 ->
            new Reserve(r.account(), r.hold(), r.amount(), r.ttl(), otherMetadata(r.metadata()));
        case 2 -> new Credit(r.account(), r.hold(), r.amount(), r.metadata());
        default ->
            new Reserve(
                r.account(),
                r.hold(),
                r.amount(),
                r.ttl() == null ? Duration.ofMinutes(10) : null,
                r.metadata());
      };
    }

    private Op createLead() {
      String lead = random.nextInt(100) < 85 ? uncreatedLead() : pick(leads);
      CreateLead first = created.get(lead);
      if (first != null && random.nextInt(100) < 60) {
        return first; // the same terms again
      }
      int invalid = random.nextInt(100);
      if (invalid < 5) {
        return switch (invalid) {
          case 0 -> new CreateLead(lead, 0, 2, null);
          case 1 -> new CreateLead(lead, 10, 0, null);
          case 2 -> new CreateLead(lead, 10, 1001, null);
          default -> new CreateLead(lead, 10, 2, past);
        };
      }
      Instant expiresAt = random.nextInt(100) < 25 ? farFuture : null;
      CreateLead create = new CreateLead(lead, between(5, 40), (int) between(1, 3), expiresAt);
      created.putIfAbsent(lead, create);
      return create;
    }

    /** A hold to end: mostly one reserved before, sometimes on another account, or no hold. */
    private String[] holdTarget() {
      int roll = random.nextInt(100);
      if (reserves.isEmpty() || roll < 5) {
        return new String[] {tradie(), prefix + "no-hold-" + random.nextInt(5)};
      }
      if (roll < 10) {
        Op any = pick(repeatable);
        return new String[] {accountOf(any), idOf(any)};
      }
      Reserve r = pick(reserves);
      return new String[] {roll < 15 ? otherThan(r.account()) : r.account(), r.hold()};
    }

    private String uncreatedLead() {
      List<String> fresh = leads.stream().filter(l -> !created.containsKey(l)).toList();
      return fresh.isEmpty() ? pick(leads) : pick(fresh);
    }

    /** Mostly a lead created before, when there is one. */
    private String someLead() {
      List<String> made = leads.stream().filter(created::containsKey).toList();
      return made.isEmpty() || random.nextInt(100) < 10 ? pick(leads) : pick(made);
    }

    /** The default (null), 10 minutes, the longest allowed, or one out of range. */
    private Duration ttl() {
      int roll = random.nextInt(100);
      if (roll < 38) {
        return null;
      }
      if (roll < 72) {
        return Duration.ofMinutes(10);
      }
      if (roll < 94) {
        return Duration.ofDays(1);
      }
      return roll < 97 ? Duration.ZERO : Duration.ofDays(1).plusSeconds(1);
    }

    private Op remembered(Op op) {
      repeatable.add(op);
      return op;
    }

    private static Op onAccount(Op op, String account) {
      if (op instanceof Credit c) {
        return new Credit(account, c.tx(), c.amount(), c.metadata());
      }
      if (op instanceof Debit d) {
        return new Debit(account, d.tx(), d.amount(), d.metadata());
      }
      Reserve r = (Reserve) op;
      return new Reserve(account, r.hold(), r.amount(), r.ttl(), r.metadata());
    }

    private static String accountOf(Op op) {
      if (op instanceof Credit c) {
        return c.account();
      }
      return op instanceof Debit d ? d.account() : ((Reserve) op).account();
    }

    private static String idOf(Op op) {
      if (op instanceof Credit c) {
        return c.tx();
      }
      return op instanceof Debit d ? d.tx() : ((Reserve) op).hold();
    }

    private Map<String, String> otherMetadata(Map<String, String> metadata) {
      return metadata.isEmpty() ? Map.of("reason", "other") : Map.of();
    }

    private String otherThan(String tradie) {
      List<String> others = tradies.stream().filter(t -> !t.equals(tradie)).toList();
      return pick(others);
    }

    private String tradie() {
      return pick(tradies);
    }

    /** Mostly a tradie topped up before, so that debits and holds are not all refused. */
    private String payer() {
      return credited.isEmpty() || random.nextInt(100) < 20 ? tradie() : pick(credited);
    }

    private Op topUp() {
      Credit c = new Credit(tradie(), newId(), between(10, 120), metadata());
      credited.add(c.account());
      return remembered(c);
    }

    private Map<String, String> metadata() {
      return pick(metadatas);
    }

    private String newId() {
      return prefix + "t" + nextId++;
    }

    private long between(long min, long max) {
      return min + random.nextInt((int) (max - min + 1));
    }

    private <T> T pick(List<T> from) {
      return from.get(random.nextInt(from.size()));
    }
  }
}
