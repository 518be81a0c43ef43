package io.leadcredits.http;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The HTTP layer's JSON: the tree model only, so what a client may send is exactly what the parsers
 * below read (no binding of unknown fields, no coercion of "5" or 5.0 into 5).
 */
public final class Json {
  /** Duplicate keys and trailing content are refused: a body has one meaning or none. */
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** The same, reading every decimal exactly: price multipliers are never floating point. */
  private static final ObjectMapper DECIMALS =
      MAPPER.copy().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private Json() {}

  /** A value (maps, lists, numbers, strings) as a tree; decimals stay exact. */
  public static JsonNode tree(Object value) {
    return DECIMALS.valueToTree(value);
  }

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  public static byte[] bytes(JsonNode node) {
    try {
      return MAPPER.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      // Writing a tree we built ourselves cannot fail; if it does, it is a bug.
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** The body as a JSON object; anything else (empty, malformed, an array, a number) is invalid. */
  public static ObjectNode parseObject(byte[] body) {
    return parseObject(MAPPER, body);
  }

  /** As {@link #parseObject(byte[])}, with every decimal read exactly. */
  public static ObjectNode parseExactObject(byte[] body) {
    return parseObject(DECIMALS, body);
  }

  private static ObjectNode parseObject(ObjectMapper mapper, byte[] body) {
    if (body.length == 0) {
      throw new InvalidRequestException("a JSON object body is required");
    }
    JsonNode node;
    try {
      node = mapper.readTree(body);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("malformed JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e); // reading a byte array does no I/O
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRequestException("the body must be a JSON object");
    }
    return (ObjectNode) node;
  }
}
