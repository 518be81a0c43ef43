package io.leadcredits.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadcredits.auth.Role;
import io.leadcredits.testkit.Reply;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A baseline offers only what the benchmark drives. Every other route of the API (listing leads,
 * the cluster, the event feed, webhooks, prices: the list, tiers, quotes, a lead priced by the
 * list, a claim with a maxCost) answers exactly as a route that does not exist, 404 NOT_FOUND, and
 * changes nothing.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(names = {"LOCKS", "SQL"})
class BaselineRoutesTest extends EngineContract {

  @Test
  void routesTheBenchmarkDoesNotDriveAnswerAsRoutesThatDoNotExist() {
    String admin = service.admin();
    assertThat(service.credit("br-ann", 50, "br-c1").status()).isEqualTo(200);
    Reply held =
        service.send(
            "POST",
            "/api/accounts/br-ann/reservations",
            admin,
            "{\"amount\":10,\"transactionId\":\"br-h1\"}");
    assertThat(held.status()).isEqualTo(201);
    assertThat(service.createLead("br-lead", 5, 2).status()).isEqualTo(201);

    List<String[]> routes =
        List.of(
            new String[] {"GET", "/api/leads"},
            new String[] {"GET", "/api/cluster"},
            new String[] {"GET", "/api/reports/credits"},
            new String[] {"GET", "/api/events"},
            new String[] {"GET", "/api/webhooks"},
            new String[] {"GET", "/api/webhooks/wh_0"},
            new String[] {"DELETE", "/api/webhooks/wh_0"},
            new String[] {"POST", "/api/webhooks/wh_0/enable"},
            new String[] {"POST", "/api/webhooks/wh_0/rotate-secret"},
            new String[] {"GET", "/api/webhooks/wh_0/deliveries"},
            new String[] {"GET", "/api/pricing"},
            new String[] {"PUT", "/api/pricing", "{\"base\":{\"default\":10}}"},
            new String[] {"PUT", "/api/accounts/br-ann/profile", "{\"tier\":\"gold\"}"},
            new String[] {"GET", "/api/accounts/br-ann/alerts"},
            new String[] {"PUT", "/api/accounts/br-ann/alerts", "{\"lowBalanceThreshold\":5}"},
            new String[] {"GET", "/api/accounts/br-ann/statement"},
            new String[] {"GET", "/api/leads/br-lead/quote", null, "br-ann"},
            new String[] {"POST", "/api/leads/br-lead/claim", "{\"maxCost\":50}", "br-ann"},
            new String[] {"POST", "/api/leads/br-lead/void", "{\"reason\":\"fake\"}"},
            new String[] {
              "POST", "/api/leads", "{\"leadId\":\"br-priced\",\"maxClaims\":1,\"category\":\"x\"}"
            },
            new String[] {"POST", "/api/leads", "{\"leadId\":\"br-listed\",\"maxClaims\":1}"});
    for (String[] route : routes) {
      String body = route.length > 2 ? route[2] : null;
      String token = route.length > 3 ? service.token(route[3], Role.TRADIE) : admin;
      Reply answer = service.send(route[0], route[1], token, body);
      Reply unknown = service.send(route[0], "/api/nowhere", admin, null);
      ObjectNode expected = unknown.body().deepCopy();
      expected.put("detail", "no route for " + route[0] + " " + route[1]);
      assertThat(answer.status()).as(route[1]).isEqualTo(404);
      assertThat(answer.raw().headers().firstValue("Content-Type"))
          .isEqualTo(unknown.raw().headers().firstValue("Content-Type"));
      assertThat(answer.body()).as(route[1]).isEqualTo(expected);
    }

    assertThat(service.account("br-ann").body().get("available").asLong()).isEqualTo(40);
    Reply lead = service.send("GET", "/api/leads/br-lead", admin, null);
    assertThat(lead.body().get("status").asText()).isEqualTo("OPEN");
    assertThat(lead.body().get("claims")).isEmpty();
    assertThat(service.send("GET", "/api/leads/br-priced", admin, null).status()).isEqualTo(404);
  }
}
