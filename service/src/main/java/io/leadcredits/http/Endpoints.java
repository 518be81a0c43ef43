package io.leadcredits.http;

import io.leadcredits.account.TransactionType;
import io.leadcredits.logging.Mdc;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Every endpoint the service answers, declared once: a method, a path template in OpenAPI's
 * spelling, the account transaction it makes (if any) and its handler. The served route is built
 * from this table ({@link Dispatch}), so a handler is reachable only through its line here; the
 * table labels the HTTP metrics (by template, so ids never become labels) and is the list the
 * OpenAPI document is checked against, so a line without its operation in openapi.json fails the
 * build.
 */
final class Endpoints {

  /**
   * One endpoint; {@code type} names the account transaction it makes, if any. The handler builds
   * the route that answers one request, given the path parameters in the template's order.
   */
  record Endpoint(String method, String template, TransactionType type, Handler handler) {}

  /** A handler of any arity; an unused parameter is null. */
  @FunctionalInterface
  interface Handler {
    Route serve(Handlers handlers, String first, String second);
  }

  /** The handler of a template without parameters. */
  @FunctionalInterface
  interface Plain {
    Route serve(Handlers handlers);
  }

  /** The handler of a template with one parameter. */
  @FunctionalInterface
  interface OnOne {
    Route serve(Handlers handlers, String parameter);
  }

  /** The {@code route} label of a path that matches no template. */
  static final String OTHER = "other";

  /**
   * Templates are matched in the order of their first endpoint; the endpoints of one template are
   * in the order a 405 names their methods in {@code Allow}.
   */
  static final List<Endpoint> ALL =
      List.of(
          endpoint("GET", "/health/live", null, h -> h.ops().live()),
          endpoint("GET", "/health/ready", null, h -> h.ops().ready()),
          endpoint("GET", "/metrics", null, h -> h.ops().metrics()),
          endpoint("GET", "/api/openapi.json", null, h -> h.ops().openApi()),
          endpoint("GET", "/", null, h -> h.dashboard().page()),
          endpoint("GET", "/dashboard/{file}", null, (h, file) -> h.dashboard().file(file)),
          endpoint("POST", "/api/leads", null, h -> h.leads().create()),
          endpoint("GET", "/api/leads", null, h -> h.leads().list()),
          endpoint("GET", "/api/leads/{leadId}", null, (h, lead) -> h.leads().read(lead)),
          endpoint("POST", "/api/leads/{leadId}/claim", null, (h, lead) -> h.leads().claim(lead)),
          endpoint("POST", "/api/leads/{leadId}/close", null, (h, lead) -> h.leads().close(lead)),
          endpoint("POST", "/api/leads/{leadId}/void", null, (h, lead) -> h.leads().voidLead(lead)),
          endpoint("GET", "/api/leads/{leadId}/quote", null, (h, lead) -> h.leads().quote(lead)),
          endpoint(
              "POST",
              "/api/claims/{claimId}/refund-requests",
              null,
              (h, claim) -> h.refunds().request(claim)),
          endpoint("GET", "/api/refunds", null, h -> h.refunds().list()),
          endpoint(
              "POST",
              "/api/refunds/{refundId}/approve",
              null,
              (h, refund) -> h.refunds().approve(refund)),
          endpoint(
              "POST",
              "/api/refunds/{refundId}/reject",
              null,
              (h, refund) -> h.refunds().reject(refund)),
          endpoint("GET", "/api/pricing", null, h -> h.pricing().read()),
          endpoint("PUT", "/api/pricing", null, h -> h.pricing().put()),
          endpoint(
              "PUT",
              "/api/accounts/{accountId}/profile",
              null,
              (h, account) -> h.pricing().profile(account)),
          endpoint("GET", "/api/credits/balance", null, h -> h.accounts().ownBalance()),
          endpoint(
              "GET", "/api/accounts/{accountId}", null, (h, account) -> h.accounts().read(account)),
          endpoint(
              "POST",
              "/api/accounts/{accountId}/credits",
              TransactionType.CREDIT,
              (h, account) -> h.accounts().credit(account)),
          endpoint(
              "POST",
              "/api/accounts/{accountId}/grants/{grantId}/void",
              TransactionType.GRANT_VOIDED,
              (h, account, grant) -> h.accounts().voidGrant(account, grant)),
          endpoint(
              "POST",
              "/api/accounts/{accountId}/debits",
              TransactionType.DEBIT,
              (h, account) -> h.accounts().debit(account)),
          endpoint(
              "POST",
              "/api/accounts/{accountId}/reservations",
              TransactionType.RESERVE,
              (h, account) -> h.accounts().reserve(account)),
          endpoint(
              "POST",
              "/api/accounts/{accountId}/reservations/{holdId}/capture",
              TransactionType.CAPTURE,
              (h, account, hold) -> h.accounts().capture(account, hold)),
          endpoint(
              "DELETE",
              "/api/accounts/{accountId}/reservations/{holdId}",
              TransactionType.RELEASE,
              (h, account, hold) -> h.accounts().release(account, hold)),
          endpoint(
              "GET",
              "/api/accounts/{accountId}/transactions",
              null,
              (h, account) -> h.accounts().transactions(account)),
          endpoint(
              "GET",
              "/api/accounts/{accountId}/claims",
              null,
              (h, account) -> h.accounts().claims(account)),
          endpoint(
              "GET",
              "/api/accounts/{accountId}/statement",
              null,
              (h, account) -> h.accounts().statement(account)),
          endpoint(
              "GET",
              "/api/accounts/{accountId}/alerts",
              null,
              (h, account) -> h.accounts().alerts(account)),
          endpoint(
              "PUT",
              "/api/accounts/{accountId}/alerts",
              null, // a setting, not a movement of credits: kept out of the processing latencies
              (h, account) -> h.accounts().setAlerts(account)),
          endpoint("GET", "/api/events", null, h -> h.feed().events()),
          endpoint("POST", "/api/webhooks", null, h -> h.webhooks().create()),
          endpoint("GET", "/api/webhooks", null, h -> h.webhooks().list()),
          endpoint("GET", "/api/webhooks/{webhookId}", null, (h, id) -> h.webhooks().read(id)),
          endpoint("DELETE", "/api/webhooks/{webhookId}", null, (h, id) -> h.webhooks().delete(id)),
          endpoint(
              "POST", "/api/webhooks/{webhookId}/enable", null, (h, id) -> h.webhooks().enable(id)),
          endpoint(
              "POST",
              "/api/webhooks/{webhookId}/rotate-secret",
              null,
              (h, id) -> h.webhooks().rotateSecret(id)),
          endpoint(
              "GET",
              "/api/webhooks/{webhookId}/deliveries",
              null,
              (h, id) -> h.webhooks().deliveries(id)),
          endpoint("GET", "/api/audit", null, h -> h.ops().audit()),
          endpoint("GET", "/api/reports/credits", null, h -> h.ops().creditReport()),
          endpoint("GET", "/api/cluster", null, h -> h.ops().cluster()));

  /** The distinct templates, in the order of their first endpoint. */
  static final List<String> TEMPLATES = templates();

  /** Each template split into segments; a null segment matches any one segment. */
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

  /**
   * The segment (counted from 0) of a path matching template {@code index} that holds its path
   * parameter number {@code parameter} (counted from 0), or -1 when the template has fewer.
   */
  static int parameterSegment(int index, int parameter) {
    String[] segments = SEGMENTS[index];
    int seen = 0;
    for (int i = 0; i < segments.length; i++) {
      if (segments[i] == null && seen++ == parameter) {
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
      String key = isParameter(template[i]) ? mdcKey(name(template[i])) : null;
      if (key != null) {
        pairs.add(key);
        pairs.add(segments[i]);
      }
    }
    return pairs.toArray(new String[0]);
  }

  private static Endpoint endpoint(
      String method, String template, TransactionType type, Plain handler) {
    return endpoint(method, template, type, 0, (h, first, second) -> handler.serve(h));
  }

  private static Endpoint endpoint(
      String method, String template, TransactionType type, OnOne handler) {
    return endpoint(method, template, type, 1, (h, first, second) -> handler.serve(h, first));
  }

  private static Endpoint endpoint(
      String method, String template, TransactionType type, Handler handler) {
    return endpoint(method, template, type, 2, handler);
  }

  /** A template is checked as it is declared, so a handler that misses a parameter cannot start. */
  private static Endpoint endpoint(
      String method, String template, TransactionType type, int parameters, Handler handler) {
    if (!template.startsWith("/")) {
      throw new IllegalArgumentException("a template starts with /: " + template);
    }
    int found = 0;
    for (String segment : template.substring(1).split("/", -1)) {
      if (isParameter(segment)) {
        found++;
      } else if (segment.contains("{") || segment.contains("}")) {
        throw new IllegalArgumentException("a parameter is a whole segment: " + template);
      }
    }
    if (found != parameters) {
      throw new IllegalArgumentException(
          template + " has " + found + " parameters, its handler takes " + parameters);
    }
    return new Endpoint(method, template, type, handler);
  }

  private static boolean isParameter(String segment) {
    return segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}");
  }

  private static String name(String parameter) {
    return parameter.substring(1, parameter.length() - 1);
  }

  private static List<String> templates() {
    List<String> all = new ArrayList<>();
    Set<String> declared = new HashSet<>();
    for (Endpoint e : ALL) {
      if (!declared.add(e.method() + " " + e.template())) {
        throw new IllegalStateException("declared twice: " + e.method() + " " + e.template());
      }
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
        if (isParameter(parts[j])) {
          parts[j] = null;
        }
      }
      all[i] = parts;
    }
    return all;
  }
}
