package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.Rejection;
import io.leadcredits.account.AccountReply;
import io.leadcredits.claim.ClaimReply;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.junit.jupiter.api.Test;

/** Engine replies that are not successes, as clients see them. */
class RepliesTest {

  private static String code(HttpResponse response) {
    byte[] body = ((HttpEntity.Strict) response.entity()).getData().toArray();
    return Json.parseObject(body).get("code").asText();
  }

  private static String retryAfter(HttpResponse response) {
    return response.getHeader("Retry-After").map(h -> h.value()).orElse(null);
  }

  @Test
  void aSheddingEntityIsOverloadedNotAnUnknownOutcome() {
    for (HttpResponse shed :
        new HttpResponse[] {
          Replies.change(new AccountReply.Overloaded("busy")),
          Replies.reservation(new AccountReply.Overloaded("busy"), "h1"),
          Replies.claim(new ClaimReply.Overloaded("busy"))
        }) {
      assertThat(shed.status()).isEqualTo(StatusCodes.SERVICE_UNAVAILABLE);
      assertThat(code(shed)).isEqualTo("OVERLOADED");
      assertThat(retryAfter(shed)).isEqualTo("1");
    }
  }

  @Test
  void anUnansweredWriteIsAnUnknownOutcome() {
    for (HttpResponse unknown :
        new HttpResponse[] {
          Replies.change(new AccountReply.Unavailable("journal down")),
          Replies.account(new AccountReply.Unavailable("journal down")),
          Replies.claim(new ClaimReply.Pending("clm_1", "account slow"))
        }) {
      assertThat(unknown.status()).isEqualTo(StatusCodes.SERVICE_UNAVAILABLE);
      assertThat(code(unknown)).isEqualTo("OUTCOME_UNKNOWN");
      assertThat(retryAfter(unknown)).isEqualTo("1");
    }
  }

  @Test
  void equalRefusalsShareOneRenderingAndOthersGetTheirOwn() {
    HttpResponse first =
        Replies.claim(new ClaimReply.Rejected(Rejection.LEAD_FULL, "lead x is full"));
    HttpResponse same =
        Replies.claim(new ClaimReply.Rejected(Rejection.LEAD_FULL, "lead x is full"));
    HttpResponse other =
        Replies.claim(new ClaimReply.Rejected(Rejection.LEAD_CLOSED, "lead x is closed"));
    assertThat(same).isSameAs(first);
    assertThat(other).isNotSameAs(first);
    assertThat(code(other)).isEqualTo("LEAD_CLOSED");
    assertThat(code(first)).isEqualTo("LEAD_FULL");
  }
}
