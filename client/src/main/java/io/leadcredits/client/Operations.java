package io.leadcredits.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.client.Transport.Call;
import io.leadcredits.client.model.Audit;
import io.leadcredits.client.model.CreditReport;
import io.leadcredits.client.model.Status;
import java.time.Instant;

/** What an operator asks of a node: health, metrics, the contract, the audit, the cluster. */
public final class Operations {
  private final Transport transport;

  Operations(Transport transport) {
    this.transport = transport;
  }

  @Route("GET /health/live")
  public Status live() {
    return transport.call(Call.read("health/live"), Status.class);
  }

  /** Ready to serve; a node that is not throws {@link ProblemException.Unavailable}. */
  @Route("GET /health/ready")
  public Status ready() {
    return transport.call(Call.read("health/ready"), Status.class);
  }

  /** The Prometheus text exposition. */
  @Route("GET /metrics")
  public String metrics() {
    return transport.text(Call.read("metrics"));
  }

  @Route("GET /api/openapi.json")
  public JsonNode openApi() {
    return transport.call(Call.read("api/openapi.json"), JsonNode.class);
  }

  /** Checks every invariant over every account and lead (admin; reads the whole journal). */
  @Route("GET /api/audit")
  public Audit audit() {
    return transport.call(Call.read("api/audit"), Audit.class);
  }

  /**
   * The credit liability report (admin) as of {@code at}, with expiries and voids in [{@code from},
   * {@code to}); any of them null takes the service's default (now; the 30 days up to {@code at}).
   */
  @Route("GET /api/reports/credits")
  public CreditReport creditReport(Instant at, Instant from, Instant to) {
    StringBuilder path = new StringBuilder("api/reports/credits");
    char sep = '?';
    String[] names = {"at", "from", "to"};
    Instant[] values = {at, from, to};
    for (int i = 0; i < names.length; i++) {
      if (values[i] != null) {
        path.append(sep).append(Transport.query(names[i], values[i]));
        sep = '&';
      }
    }
    return transport.call(Call.read(path.toString()), CreditReport.class);
  }

  /** The cluster as the node asked sees it. */
  @Route("GET /api/cluster")
  public JsonNode cluster() {
    return transport.call(Call.read("api/cluster"), JsonNode.class);
  }
}
