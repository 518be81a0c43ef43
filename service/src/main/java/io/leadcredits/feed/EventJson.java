package io.leadcredits.feed;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * An event as JSON, the same bytes in the feed, a webhook's body and a Kafka record: {@code
 * {"id","type","timestamp","subject","sequenceNr","cursor","data"}}, instants as ISO-8601 strings.
 */
public final class EventJson {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private EventJson() {}

  public static ObjectNode of(FeedEvent e) {
    ObjectNode node = JsonNodeFactory.instance.objectNode();
    node.put("id", e.id());
    node.put("type", e.type());
    node.put("timestamp", e.timestamp().toString());
    node.put("subject", e.subject());
    node.put("sequenceNr", e.sequenceNr());
    node.put("cursor", e.cursor().encode());
    ObjectNode data = node.putObject("data");
    for (Map.Entry<String, Object> field : e.data().entrySet()) {
      put(data, field.getKey(), field.getValue());
    }
    return node;
  }

  public static byte[] bytes(FeedEvent e) {
    try {
      return MAPPER.writeValueAsBytes(of(e));
    } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
      throw new IllegalStateException("an event that is not JSON: " + e, x);
    }
  }

  private static void put(ObjectNode node, String name, Object value) {
    if (value == null) {
      node.putNull(name);
    } else if (value instanceof Long l) {
      node.put(name, l);
    } else if (value instanceof Integer i) {
      node.put(name, i);
    } else if (value instanceof Boolean b) {
      node.put(name, b); // a refund's flags
    } else if (value instanceof String s) {
      node.put(name, s);
    } else if (value instanceof BigDecimal d) {
      node.put(name, d); // a price list's multiplier, exact
    } else if (value instanceof Instant t) {
      node.put(name, t.toString());
    } else if (value instanceof Map<?, ?> m) {
      ObjectNode inner = node.putObject(name);
      for (Map.Entry<?, ?> entry : m.entrySet()) {
        put(inner, String.valueOf(entry.getKey()), entry.getValue());
      }
    } else if (value instanceof List<?> list) {
      // A debit's or capture's grants: a list of objects.
      ArrayNode array = node.putArray(name);
      for (Object item : list) {
        if (!(item instanceof Map<?, ?> m)) {
          throw new IllegalArgumentException(
              "not an item of an event's list: " + name + "=" + item);
        }
        ObjectNode inner = array.addObject();
        for (Map.Entry<?, ?> entry : m.entrySet()) {
          put(inner, String.valueOf(entry.getKey()), entry.getValue());
        }
      }
    } else {
      throw new IllegalArgumentException("not a field of an event: " + name + "=" + value);
    }
  }
}
