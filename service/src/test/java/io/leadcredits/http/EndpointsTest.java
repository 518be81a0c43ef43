package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * The route table: paths are matched to their template (which labels them, so an id never becomes a
 * metric label, and picks their handler), and every template can be reached.
 */
class EndpointsTest {

  private static String template(String path) {
    int i = Endpoints.match(path);
    return i < 0 ? null : Endpoints.TEMPLATES.get(i);
  }

  @Test
  void eachPathMatchesItsTemplate() {
    assertThat(template("/api/accounts/ann")).isEqualTo("/api/accounts/{accountId}");
    assertThat(template("/api/accounts/ann/credits"))
        .isEqualTo("/api/accounts/{accountId}/credits");
    assertThat(template("/api/accounts/ann/reservations/h-1"))
        .isEqualTo("/api/accounts/{accountId}/reservations/{holdId}");
    assertThat(template("/api/accounts/ann/reservations/h-1/capture"))
        .isEqualTo("/api/accounts/{accountId}/reservations/{holdId}/capture");
    assertThat(template("/api/leads")).isEqualTo("/api/leads");
    assertThat(template("/api/leads/job-42/claim")).isEqualTo("/api/leads/{leadId}/claim");
    assertThat(template("/api/credits/balance")).isEqualTo("/api/credits/balance");
    assertThat(template("/metrics")).isEqualTo("/metrics");
  }

  @Test
  void otherPathsMatchNothing() {
    assertThat(template("//")).isNull();
    assertThat(template("/api/leads/")).isNull();
    assertThat(template("/api/accounts//credits")).isNull();
    assertThat(template("/api/accounts/ann/credits/x")).isNull();
    assertThat(template("/api/leadsx")).isNull();
    assertThat(template("/metricsx")).isNull();
  }

  @Test
  void theIdsOfAPathAreItsMdc() {
    String path = "/api/accounts/ann/reservations/h-1/capture";
    assertThat(Endpoints.ids(Endpoints.match(path), path))
        .containsExactly("accountId", "ann", "transactionId", "h-1");
    assertThat(Endpoints.ids(-1, "/whatever")).isEmpty();
  }

  /** No template is hidden behind an earlier one that matches its paths too. */
  @Test
  void everyTemplateIsReachable() {
    for (int i = 0; i < Endpoints.TEMPLATES.size(); i++) {
      String path = Endpoints.TEMPLATES.get(i).replaceAll("\\{[^}]+}", "x");
      assertThat(template(path)).as(path).isEqualTo(Endpoints.TEMPLATES.get(i));
    }
  }

  @Test
  void theParametersOfATemplateAreFoundByTheirSegment() {
    int capture =
        Endpoints.TEMPLATES.indexOf("/api/accounts/{accountId}/reservations/{holdId}/capture");
    assertThat(Endpoints.parameterSegment(capture, 0)).isEqualTo(2);
    assertThat(Endpoints.parameterSegment(capture, 1)).isEqualTo(4);
    assertThat(Endpoints.parameterSegment(capture, 2)).isEqualTo(-1);
    assertThat(Endpoints.parameterSegment(Endpoints.TEMPLATES.indexOf("/"), 0)).isEqualTo(-1);
  }
}
