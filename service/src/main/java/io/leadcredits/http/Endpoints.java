package io.leadcredits.http;

import io.leadcredits.logging.Mdc;
import io.leadcredits.metrics.TxType;
import java.util.ArrayList;
import java.util.List;

/**
 * Every endpoint the service answers, as a method and a path template in OpenAPI's spelling. It
 * labels the HTTP metrics (by template, so ids never become labels) and is the list the OpenAPI
 * document is checked against: a route added without an entry here and in openapi.json fails the
 * build.
 */
public final class Endpoints {

  /** One endpoint; {@code type} names the account transaction it makes, if any. */
  public record Endpoint(String method, String template, TxType type) {}

  /** The {@code route} label of a path that matches no template. */
  public static final String OTHER = "other";

  public static final List<Endpoint> ALL =
      List.of(
          new Endpoint("GET", "/health/live", null),
          new Endpoint("GET", "/health/ready", null),
          new Endpoint("GET", "/metrics", null),
          new Endpoint("GET", "/api/openapi.json", null),
          new Endpoint("GET", "/", null),
          new Endpoint("GET", "/dashboard/{file}", null),
          new Endpoint("GET", "/api/leads", null),
          new Endpoint("POST", "/api/leads", null),
          new Endpoint("GET", "/api/leads/{leadId}", null),
          new Endpoint("POST", "/api/leads/{leadId}/claim", null),
          new Endpoint("POST", "/api/leads/{leadId}/close", null),
          new Endpoint("GET", "/api/credits/balance", null),
          new Endpoint("GET", "/api/accounts/{accountId}", null),
          new Endpoint("POST", "/api/accounts/{accountId}/credits", TxType.CREDIT),
          new Endpoint("POST", "/api/accounts/{accountId}/debits", TxType.DEBIT),
          new Endpoint("POST", "/api/accounts/{accountId}/reservations", TxType.RESERVE),
          new Endpoint(
              "POST", "/api/accounts/{accountId}/reservations/{holdId}/capture", TxType.CAPTURE),
          new Endpoint("DELETE", "/api/accounts/{accountId}/reservations/{holdId}", TxType.RELEASE),
          new Endpoint("GET", "/api/accounts/{accountId}/transactions", null),
          new Endpoint("GET", "/api/audit", null),
          new Endpoint("GET", "/api/cluster", null));

  /** The distinct templates, each split into segments; a null segment matches any one segment. */
  static final List<String> TEMPLATES = templates();

  private static final String[][] SEGMENTS = segments(TEMPLATES);

  private Endpoints() {}

  /** The index in {@link #TEMPLATES} of the template {@code path} matches, or -1. */
  static int match(String path) {
    for (int i = 0; i < SEGMENTS.length; i++) {
      if (matches(SEGMENTS[i], path)) {
        return i;
      }
    }
    return -1;
  }

  /** Compares segment by segment without splitting the path, so matching allocates nothing. */
  private static boolean matches(String[] segments, String path) {
    int pos = 0;
    for (String segment : segments) {
      if (pos >= path.length() || path.charAt(pos) != '/') {
        return false;
      }
      int end = path.indexOf('/', pos + 1);
      if (end < 0) {
        end = path.length();
      }
      int length = end - pos - 1;
      if (segment == null
          ? length == 0
          : length != segment.length() || !path.regionMatches(pos + 1, segment, 0, length)) {
        return false;
      }
      pos = end;
    }
    return pos == path.length();
  }

  /** The MDC key a path parameter fills: a hold id is the transaction id that created it. */
  private static String mdcKey(String parameter) {
    return switch (parameter) {
      case "accountId" -> Mdc.ACCOUNT_ID;
      case "leadId" -> Mdc.LEAD_ID;
      case "holdId" -> Mdc.TRANSACTION_ID;
      default -> null; // not an id of the domain (a dashboard file name)
    };
  }

  /**
   * The ids in {@code path}, which matched template {@code index}, as MDC keys and values (key,
   * value, key, value…), for the log lines about the request.
   */
  static String[] ids(int index, String path) {
    if (index < 0) {
      return new String[0];
    }
    String[] template = TEMPLATES.get(index).substring(1).split("/");
    String[] segments = path.substring(1).split("/");
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < template.length && i < segments.length; i++) {
      String key =
          template[i].startsWith("{")
              ? mdcKey(template[i].substring(1, template[i].length() - 1))
              : null;
      if (key != null) {
        pairs.add(key);
        pairs.add(segments[i]);
      }
    }
    return pairs.toArray(new String[0]);
  }

  private static List<String> templates() {
    List<String> all = new ArrayList<>();
    for (Endpoint e : ALL) {
      if (!all.contains(e.template())) {
        all.add(e.template());
      }
    }
    return List.copyOf(all);
  }

  private static String[][] segments(List<String> templates) {
    String[][] all = new String[templates.size()][];
    for (int i = 0; i < all.length; i++) {
      String[] parts = templates.get(i).substring(1).split("/");
      for (int j = 0; j < parts.length; j++) {
        if (parts[j].startsWith("{")) {
          parts[j] = null;
        }
      }
      all[i] = parts;
    }
    return all;
  }
}
