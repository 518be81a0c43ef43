package io.leadcredits.account;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.leadcredits.Limits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransactionFilterTest {
  private static final Instant start = Instant.parse("2026-12-07T00:00:00Z");

  private static List<String> ids(String prefix, int from, int to) {
    List<String> ids = new ArrayList<>(to - from);
    for (int i = from; i < to; i++) {
      ids.add(prefix + i);
    }
    return ids;
  }

  /** Adds {@code count} ids in chunks, as an account evicts a segment at a time. */
  private static TransactionFilter filled(int count, int chunk) {
    TransactionFilter filter = TransactionFilter.empty();
    for (int from = 0; from < count; from += chunk) {
      filter = filter.with(ids("t-", from, Math.min(count, from + chunk)), start.plusSeconds(from));
    }
    return filter;
  }

  @Test
  void neverForgetsAnIdItWasGiven() {
    TransactionFilter filter = filled(200_000, 4096);
    for (String id : ids("t-", 0, 200_000)) {
      assertThat(filter.mightContain(id)).as(id).isTrue();
    }
    assertThat(filter.ids()).isEqualTo(200_000);
  }

  @Test
  void saysMaybeToAboutOneNewIdInAHundredWithinItsCapacity() {
    TransactionFilter filter = filled(1_000_000, 16_384);
    int falseMaybes = 0;
    int probes = 200_000;
    for (String id : ids("new-", 0, probes)) {
      falseMaybes += filter.mightContain(id) ? 1 : 0;
    }
    // Planned: 1% per slice at its capacity; the newest slice is partly full.
    assertThat((double) falseMaybes / probes).isLessThan(0.03);
  }

  /**
   * A hot account (about 4,000 new ids a second) puts 6 million ids in its filter in its first half
   * hour. The last slice takes all the budget the slices before it left, not just four times the
   * one before: at 4 MiB it said "maybe" to 8.5% of new ids by then, each a look-up.
   */
  @Test
  void saysMaybeToFewNewIdsAfterSixMillion() {
    TransactionFilter filter = filled(6_000_000, 65_536);
    int falseMaybes = 0;
    int probes = 200_000;
    for (String id : ids("new-", 0, probes)) {
      falseMaybes += filter.mightContain(id) ? 1 : 0;
    }
    assertThat((double) falseMaybes / probes).isLessThan(0.03);
  }

  @Test
  void staysWithinItsBudgetWhateverItIsGiven() {
    TransactionFilter filter = filled(12_000_000, 65_536);
    assertThat(filter.bytes()).isLessThanOrEqualTo(Limits.transactionFilterBytesMax);
    assertThat(filter.bytes()).isGreaterThan(Limits.transactionFilterBytesMax * 99 / 100);
    assertThat(filter.mightContain("t-0")).isTrue();
    assertThat(filter.mightContain("t-11999999")).isTrue();
  }

  @Test
  void dropsSlicesWhoseIdsAllAgedOut() {
    TransactionFilter filter = filled(100_000, 4096);
    Instant newest = start.plusSeconds(99_999);
    assertThat(filter.retiredBefore(start.minusSeconds(1))).isSameAs(filter);
    TransactionFilter partly = filter.retiredBefore(start.plusSeconds(30_000));
    assertThat(partly.ids()).isLessThan(filter.ids()).isPositive();
    assertThat(partly.mightContain("t-99999")).isTrue();
    assertThat(filter.retiredBefore(newest).isEmpty()).isTrue();
    assertThat(filter.oldestSliceNewestAt()).isPresent();
    assertThat(partly.oldestSliceNewestAt().get()).isAfter(start.plusSeconds(30_000));
  }

  @Test
  void anAddedIdIsCopiedNotWrittenIntoTheFilterItCameFrom() {
    TransactionFilter before = filled(1_000, 1_000);
    TransactionFilter after = before.with(List.of("late"), start.plus(Duration.ofHours(1)));
    assertThat(after.mightContain("late")).isTrue();
    assertThat(before.mightContain("late")).isFalse();
  }

  @Test
  void survivesASnapshotAsJson() throws Exception {
    ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
    TransactionFilter filter = filled(50_000, 4096);
    String text = json.writeValueAsString(filter);
    TransactionFilter read = json.readValue(text, TransactionFilter.class);
    assertThat(read).isEqualTo(filter);
    assertThat(json.readValue("[]", TransactionFilter.class).isEmpty()).isTrue();
  }
}
