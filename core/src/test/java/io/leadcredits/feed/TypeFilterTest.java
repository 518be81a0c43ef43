package io.leadcredits.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TypeFilterTest {

  @Test
  void exactTypesAndPrefixesSelect() {
    TypeFilter f = TypeFilter.of(List.of("credit.", "lead.claimed")).orElseThrow();
    assertThat(f.accepts("credit.debited")).isTrue();
    assertThat(f.accepts("lead.claimed")).isTrue();
    assertThat(f.accepts("lead.full")).isFalse();
    assertThat(TypeFilter.ALL.accepts("lead.full")).isTrue();
  }

  @Test
  void aTypeTheFeedDoesNotHaveIsRefused() {
    for (String bad : List.of("credit.debit", "credit", "payout.", "", ".", "lead.claimed.")) {
      assertThat(TypeFilter.of(List.of("credit.", bad))).as(bad).isEmpty();
    }
  }
}
