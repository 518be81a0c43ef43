package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.leadcredits.Rejection;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.junit.jupiter.api.Test;

class ProblemsTest {
  private static JsonNode body(HttpResponse response) throws Exception {
    return new ObjectMapper().readTree(((HttpEntity.Strict) response.entity()).getData().toArray());
  }

  private static String header(HttpResponse response, String name) {
    return response.getHeader(name).map(h -> h.value()).orElse(null);
  }

  @Test
  void mapsEveryRejectionToItsStatus() {
    Map<Rejection, Integer> expected =
        Map.ofEntries(
            Map.entry(Rejection.INVALID_REQUEST, 400),
            Map.entry(Rejection.NOT_FOUND, 404),
            Map.entry(Rejection.INSUFFICIENT_CREDITS, 402),
            Map.entry(Rejection.LEAD_FULL, 409),
            Map.entry(Rejection.LEAD_CLOSED, 409),
            Map.entry(Rejection.IDEMPOTENCY_CONFLICT, 409),
            Map.entry(Rejection.HOLD_NOT_ACTIVE, 409),
            Map.entry(Rejection.TOO_MANY_HOLDS, 409),
            Map.entry(Rejection.PRICE_ABOVE_MAX, 409),
            Map.entry(Rejection.NO_PRICE_LIST, 409),
            Map.entry(Rejection.GRANT_NOT_ACTIVE, 409),
            Map.entry(Rejection.TOO_MANY_GRANTS, 409),
            Map.entry(Rejection.REFUND_WINDOW_CLOSED, 409),
            Map.entry(Rejection.REFUND_EXISTS, 409),
            Map.entry(Rejection.REFUND_DECIDED, 409));
    assertThat(expected.keySet()).containsExactlyInAnyOrder(Rejection.values());
    for (Rejection rejection : Rejection.values()) {
      ProblemCode code = Problems.code(rejection);
      assertThat(code.name()).isEqualTo(rejection.name());
      assertThat(code.status()).as(rejection.name()).isEqualTo(expected.get(rejection));
      assertThat(Problems.rejected(rejection, "d").status().intValue())
          .isEqualTo(expected.get(rejection));
    }
  }

  @Test
  void writesAProblemJsonBody() throws Exception {
    HttpResponse response =
        Problems.rejected(Rejection.INSUFFICIENT_CREDITS, "available 3, needed 5");

    assertThat(response.status().intValue()).isEqualTo(402);
    assertThat(response.entity().getContentType().toString()).isEqualTo("application/problem+json");
    JsonNode body = body(response);
    assertThat(body.get("type").asText())
        .isEqualTo("https://leadcredits.io/problems/insufficient-credits");
    assertThat(body.get("title").asText()).isEqualTo("Insufficient credits");
    assertThat(body.get("status").asInt()).isEqualTo(402);
    assertThat(body.get("code").asText()).isEqualTo("INSUFFICIENT_CREDITS");
    assertThat(body.get("detail").asText()).isEqualTo("available 3, needed 5");
    assertThat(body.size()).isEqualTo(5);
  }

  @Test
  void aMissingDetailFallsBackToTheTitle() throws Exception {
    assertThat(body(Problems.of(ProblemCode.NOT_FOUND, null)).get("detail").asText())
        .isEqualTo("Not found");
  }

  @Test
  void unauthenticatedCarriesABearerChallenge() {
    HttpResponse response = Problems.unauthenticated("no token");

    assertThat(response.status().intValue()).isEqualTo(401);
    assertThat(header(response, "WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(header(response, "Retry-After")).isNull();
  }

  @Test
  void everyServiceUnavailableCarriesRetryAfter() throws Exception {
    for (ProblemCode code :
        new ProblemCode[] {
          ProblemCode.OVERLOADED, ProblemCode.OUTCOME_UNKNOWN, ProblemCode.NOT_READY
        }) {
      HttpResponse response = Problems.of(code, "x");
      assertThat(response.status().intValue()).isEqualTo(503);
      assertThat(header(response, "Retry-After")).isEqualTo("1");
    }
    assertThat(body(Problems.outcomeUnknown()).get("detail").asText())
        .isEqualTo("retry with the same transaction id");
  }

  @Test
  void engineFailuresAreUnknownOutcomesUnlessTheEngineShedLoad() {
    assertThat(Problems.engineFailure(new CompletionException(new TimeoutException("ask"))).code())
        .isEqualTo(ProblemCode.OUTCOME_UNKNOWN);
    assertThat(
            Problems.engineFailure(new CompletionException(new RejectedExecutionException()))
                .code())
        .isEqualTo(ProblemCode.OVERLOADED);
  }

  @Test
  void foreignStatusesBecomeOurCodes() {
    assertThat(Problems.forStatus(405)).isEqualTo(ProblemCode.METHOD_NOT_ALLOWED);
    assertThat(Problems.forStatus(413)).isEqualTo(ProblemCode.PAYLOAD_TOO_LARGE);
    assertThat(Problems.forStatus(415)).isEqualTo(ProblemCode.UNSUPPORTED_MEDIA_TYPE);
    assertThat(Problems.forStatus(431)).isEqualTo(ProblemCode.INVALID_REQUEST);
    assertThat(Problems.forStatus(500)).isEqualTo(ProblemCode.OUTCOME_UNKNOWN);
  }

  @Test
  void unexpectedExceptionsAreUnknownOutcomesNeverServerErrors() {
    HttpResponse response =
        ErrorHandling.forException(new IllegalStateException("bug (expected in this test)"));

    assertThat(response.status().intValue()).isEqualTo(503);
    assertThat(ErrorHandling.forException(new InvalidRequestException("bad")).status().intValue())
        .isEqualTo(400);
  }

  @Test
  void pekkoDefaultResponsesAreRewrittenAsProblems() throws Exception {
    HttpResponse plain =
        HttpResponse.create()
            .withStatus(413)
            .withEntity(
                "Request Content-Length of 70000 bytes exceeds the configured limit of 65536 bytes");

    HttpResponse problem = ErrorHandling.asProblem(plain);

    assertThat(problem.status().intValue()).isEqualTo(413);
    assertThat(problem.entity().getContentType()).isEqualTo(Problems.PROBLEM_JSON);
    assertThat(body(problem).get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    assertThat(body(problem).get("detail").asText()).contains("exceeds");
  }
}
