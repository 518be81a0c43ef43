package io.leadcredits.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.leadcredits.Ids;
import java.util.Iterator;
import java.util.Set;

/**
 * Strict readers for the fields of a request object. Each throws {@link InvalidRequestException}
 * naming the field and the rule it broke. An optional field given as JSON null counts as absent.
 */
final class Fields {
  private Fields() {}

  /** Refuses any field not in {@code allowed}: a misspelt optional field must not pass silently. */
  static void onlyKnown(ObjectNode body, Set<String> allowed) {
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw new InvalidRequestException("unknown field: " + name);
      }
    }
  }

  /** A required JSON integer (not a float, string or boolean) within {@code min..max}. */
  static long integer(ObjectNode body, String field, long min, long max) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      throw new InvalidRequestException(field + " is required");
    }
    return integerValue(node, field, min, max);
  }

  /** Like {@link #integer}, or {@code absent} when the field is missing or null. */
  static long optionalInteger(ObjectNode body, String field, long min, long max, long absent) {
    JsonNode node = body.get(field);
    return node == null || node.isNull() ? absent : integerValue(node, field, min, max);
  }

  private static long integerValue(JsonNode node, String field, long min, long max) {
    if (!node.isIntegralNumber()) {
      throw new InvalidRequestException(field + " must be a JSON integer");
    }
    if (!node.canConvertToLong() || node.longValue() < min || node.longValue() > max) {
      throw new InvalidRequestException(field + " must be between " + min + " and " + max);
    }
    return node.longValue();
  }

  /** An optional string, or null when the field is missing or null. */
  static String optionalString(ObjectNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new InvalidRequestException(field + " must be a string");
    }
    return node.textValue();
  }

  /** An optional id, or null; ids are {@code [A-Za-z0-9_.-]{1,64}}. */
  static String optionalId(ObjectNode body, String field) {
    String id = optionalString(body, field);
    if (id != null) {
      requireId(id, field);
    }
    return id;
  }

  static void requireId(String id, String what) {
    if (!Ids.isValid(id)) {
      throw new InvalidRequestException(what + " must match [A-Za-z0-9_.-]{1,64}");
    }
  }

  /** A client-chosen transaction id: an id that cannot be mistaken for a derived claim id. */
  static void requireTransactionId(String id, String what) {
    requireId(id, what);
    if (id.startsWith(Ids.CLAIM_PREFIX)) {
      throw new InvalidRequestException(what + " may not start with " + Ids.CLAIM_PREFIX);
    }
  }
}
