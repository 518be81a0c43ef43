package io.leadcredits.http;

import io.leadcredits.account.GrantAmount;
import io.leadcredits.account.TransactionType;
import io.leadcredits.engine.Statement;
import io.leadcredits.engine.TrailPage;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A statement as CSV (RFC 4180) for a spreadsheet: a header row, one row per entry, then an empty
 * line and the totals as {@code total,<name>,<amount>} rows (each type's amount, then the opening
 * and closing balances and the closing balance by category). Fields with a comma, a quote or a line
 * break are quoted, quotes doubled; metadata is one field, a JSON object in key order, so free text
 * a client wrote can never add a column or a row, nor start a field a spreadsheet would read as a
 * formula (it starts with a brace; ids are {@code [A-Za-z0-9_.-]}, which make no formula). Lines
 * end with CRLF, as RFC 4180 says.
 */
final class StatementCsv {
  private StatementCsv() {}

  static final List<String> HEADER =
      List.of(
          "version",
          "at",
          "transactionId",
          "type",
          "amount",
          "balanceChange",
          "balanceBefore",
          "balanceAfter",
          "reservedBefore",
          "reservedAfter",
          "grantId",
          "grants",
          "metadata");

  static String of(Statement s) {
    StringBuilder out = new StringBuilder();
    row(out, HEADER);
    for (TrailPage.Item e : s.entries()) {
      row(
          out,
          List.of(
              Long.toString(e.version()),
              e.at().toString(),
              e.transactionId(),
              e.type().name(),
              Long.toString(e.amount()),
              Long.toString(e.balanceAfter() - e.balanceBefore()),
              Long.toString(e.balanceBefore()),
              Long.toString(e.balanceAfter()),
              Long.toString(e.reservedBefore()),
              Long.toString(e.reservedAfter()),
              e.grantId() == null ? "" : e.grantId(),
              grants(e.grants()),
              metadata(e.metadata())));
    }
    out.append("\r\n");
    for (TransactionType type : TransactionType.values()) {
      Long total = s.totals().get(type);
      if (total != null) {
        row(out, List.of("total", type.name(), Long.toString(total)));
      }
    }
    row(out, List.of("total", "openingBalance", Long.toString(s.openingBalance())));
    row(out, List.of("total", "closingBalance", Long.toString(s.closingBalance())));
    row(out, List.of("total", "paid", Long.toString(s.paid())));
    row(out, List.of("total", "promotional", Long.toString(s.promotional())));
    return out.toString();
  }

  private static String grants(List<GrantAmount> grants) {
    if (grants == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (GrantAmount g : grants) {
      if (b.length() > 0) {
        b.append(';');
      }
      b.append(g.grantId()).append(':').append(g.amount());
    }
    return b.toString();
  }

  /** The metadata as one JSON object in key order: a client's free text stays inside it. */
  private static String metadata(Map<String, String> metadata) {
    if (metadata.isEmpty()) {
      return "";
    }
    com.fasterxml.jackson.databind.node.ObjectNode node = Json.object();
    new TreeMap<>(metadata).forEach(node::put);
    return new String(Json.bytes(node), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static void row(StringBuilder out, List<String> fields) {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(field(fields.get(i)));
    }
    out.append("\r\n");
  }

  /** RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled inside. */
  static String field(String value) {
    boolean quote =
        value.indexOf(',') >= 0
            || value.indexOf('"') >= 0
            || value.indexOf('\n') >= 0
            || value.indexOf('\r') >= 0;
    return quote ? '"' + value.replace("\"", "\"\"") + '"' : value;
  }
}
