package io.leadcredits.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The persistent maps of {@link Grants} against a plain list: after random additions, spending,
 * earmarks, returns and voids, the grants in spending order, the lookups, the sums by category, the
 * allocation and the first due remainder are the list's.
 */
class GrantsTest {
  private static final Instant t0 = Instant.parse("2026-12-07T10:00:00Z");

  @Test
  void agreesWithAPlainListUnderRandomChanges() {
    Random random = new Random(42);
    for (int run = 0; run < 50; run++) {
      Grants grants = Grants.empty();
      List<Grant> list = new ArrayList<>();
      for (int step = 0; step < 200; step++) {
        int op = random.nextInt(4);
        if (op == 0 || list.isEmpty()) {
          Grant g =
              Grant.of(
                  "g" + step,
                  new GrantTerms(
                      random.nextBoolean() ? GrantCategory.PAID : GrantCategory.PROMOTIONAL,
                      random.nextInt(3) == 0 ? null : t0.plusSeconds(random.nextInt(50)),
                      random.nextInt(3) * 25,
                      null),
                  1 + random.nextInt(20),
                  t0,
                  step);
          grants = grants.with(g);
          list.add(g);
        } else {
          Grant g = list.get(random.nextInt(list.size()));
          long remaining = g.remaining();
          long earmarked = g.earmarked();
          Grant changed =
              switch (op) {
                case 1 -> g.withAmounts(random.nextInt((int) remaining + 1), earmarked);
                case 2 -> g.withAmounts(remaining, earmarked + random.nextInt(3));
                default -> g.voidedBy() == null && random.nextBoolean() ? g.voided("v") : g;
              };
          grants = grants.with(changed);
          list.remove(g);
          if (changed.live()) {
            list.add(changed);
          }
        }
        check(grants, list, t0.plusSeconds(random.nextInt(60)));
      }
    }
  }

  private static void check(Grants grants, List<Grant> list, Instant now) {
    List<Grant> sorted = list.stream().sorted(Grant.SPENDING_ORDER).toList();
    assertThat(grants.list()).isEqualTo(sorted);
    assertThat(grants.size()).isEqualTo(list.size());
    for (Grant g : list) {
      assertThat(grants.get(g.grantId())).contains(g);
    }
    for (GrantCategory c : GrantCategory.values()) {
      long sum =
          list.stream()
              .filter(g -> g.category() == c)
              .mapToLong(g -> g.remaining() + g.earmarked())
              .sum();
      assertThat(grants.total(c)).isEqualTo(sum);
    }
    // The first due: a voided remainder first, else the soonest expired, in spending order.
    Grant due =
        sorted.stream()
            .filter(g -> g.dueAt(now))
            .min(
                Comparator.comparing(
                        (Grant g) -> g.voidedBy() != null ? Instant.MIN : g.expiresAt())
                    .thenComparing(Grant.SPENDING_ORDER))
            .orElse(null);
    assertThat(grants.firstDue(now)).isEqualTo(due);
    Instant next =
        list.stream()
            .filter(g -> g.remaining() > 0 && g.voidedBy() == null && g.expiresAt() != null)
            .map(Grant::expiresAt)
            .min(Comparator.naturalOrder())
            .orElse(null);
    assertThat(grants.nextDue().orElse(null)).isEqualTo(next);
    long spendable =
        sorted.stream()
            .filter(g -> g.voidedBy() == null && !g.expiredAt(now))
            .mapToLong(Grant::remaining)
            .sum();
    if (spendable > 0) {
      List<GrantAmount> taken = grants.allocate(spendable, now);
      assertThat(taken).isNotNull();
      assertThat(taken.stream().mapToLong(GrantAmount::amount).sum()).isEqualTo(spendable);
    }
    assertThat(grants.allocate(spendable + 1, now)).isNull();
    assertThat(Grants.of(grants.list())).isEqualTo(grants);
  }
}
