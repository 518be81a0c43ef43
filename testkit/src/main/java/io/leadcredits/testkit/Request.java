package io.leadcredits.testkit;

/**
 * One request to the service's API: enough to send it, and to send it again. Bodies are JSON text,
 * written as strings: a load generator builds no JSON trees per request.
 */
public record Request(String method, String path, String token, String body) {

  public static Request get(String path, String token) {
    return new Request("GET", path, token, null);
  }

  /** A POST, with a JSON body or none ({@code body} null). */
  public static Request post(String path, String token, String body) {
    return new Request("POST", path, token, body);
  }

  /** {@code POST /api/leads}. */
  public static Request createLead(String token, String leadId, long creditCost, int maxClaims) {
    return post(
        "/api/leads",
        token,
        "{\"leadId\":\""
            + leadId
            + "\",\"creditCost\":"
            + creditCost
            + ",\"maxClaims\":"
            + maxClaims
            + "}");
  }

  /** The request as the bytes {@link WireClient} writes. */
  public byte[] wire() {
    return WireClient.request(method, path, token, body);
  }

  @Override
  public String toString() {
    return method + " " + path;
  }
}
