package io.leadcredits.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.NonValidationKeyword;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service's OpenAPI document as the judge of every answer a client receives: the path must be
 * one of the document's templates (else the answer must be a 404 problem: a route the document
 * lacks is a failure, so a new route is documented before its tests pass), the method one of the
 * path's operations (else a 404 or 405 problem; on either, also the 400 problem of a request the
 * HTTP parser refused before routing), the status one of the operation's responses, the media type
 * one of that response's, every required header present, and a JSON body valid against the
 * response's schema (JSON Schema 2020-12, as OpenAPI 3.1 says, with networknt's validator).
 */
public final class Contract {
  /** Where the service keeps its document, on the class path of every service and its tests. */
  public static final String RESOURCE = "openapi.json";

  /** The document's own address for the schema validator: references resolve inside it. */
  private static final String DOCUMENT_IRI = "https://leadcredits.invalid/openapi.json";

  private static final ObjectMapper json = new ObjectMapper();

  private static volatile Optional<Contract> fromClassPath;

  private final JsonNode document;
  private final JsonSchemaFactory schemas;
  private final List<Template> templates = new ArrayList<>();
  private final boolean absentRoutesAllowed;
  private final Map<String, JsonSchema> compiled;

  /** A path template split into segments; {@code null} where a parameter stands. */
  private record Template(String path, String[] segments, int literals) {}

  private Contract(
      JsonNode document,
      JsonSchemaFactory schemas,
      boolean absentRoutesAllowed,
      Map<String, JsonSchema> compiled) {
    this.document = document;
    this.schemas = schemas;
    this.absentRoutesAllowed = absentRoutesAllowed;
    this.compiled = compiled;
    Iterator<String> paths = document.path("paths").fieldNames();
    while (paths.hasNext()) {
      String path = paths.next();
      String[] segments = path.split("/", -1);
      int literals = 0;
      for (int i = 0; i < segments.length; i++) {
        if (segments[i].startsWith("{") && segments[i].endsWith("}")) {
          segments[i] = null;
        } else {
          literals++;
        }
      }
      templates.add(new Template(path, segments, literals));
    }
    // The most literal template wins, as a router prefers /a/b over /a/{x}.
    templates.sort((a, b) -> Integer.compare(b.literals(), a.literals()));
  }

  /** A contract judging by {@code document}, an OpenAPI 3.1 document. */
  public static Contract of(String document) {
    try {
      JsonNode node = json.readTree(document);
      // The document's own keywords (openapi, paths, x-problem-codes, ...) and OpenAPI's in its
      // schemas (example, discriminator) are no JSON Schema checks: read as annotations, silently,
      // instead of one warning each in the log of every process that validates.
      JsonMetaSchema meta =
          JsonMetaSchema.builder(JsonMetaSchema.getV202012())
              .unknownKeywordFactory((keyword, context) -> new NonValidationKeyword(keyword))
              .build();
      JsonSchemaFactory factory =
          JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012))
              .metaSchema(meta)
              .schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT_IRI, document)))
              .build();
      return new Contract(node, factory, false, new ConcurrentHashMap<>());
    } catch (IOException e) {
      throw new IllegalArgumentException("the OpenAPI document is not JSON", e);
    }
  }

  /**
   * The service's document from the class path (loaded once), or empty where no service is on the
   * class path.
   */
  public static Optional<Contract> fromClassPath() {
    Optional<Contract> known = fromClassPath;
    if (known == null) {
      synchronized (Contract.class) {
        known = fromClassPath;
        if (known == null) {
          known = load();
          fromClassPath = known;
        }
      }
    }
    return known;
  }

  private static Optional<Contract> load() {
    ClassLoader loader = Contract.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return Optional.empty();
      }
      return Optional.of(of(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The same contract, but an operation may also be answered as a route that does not exist (a 404
   * {@code NOT_FOUND} problem): the benchmark's baselines answer so what they do not offer.
   */
  public Contract allowingAbsentRoutes() {
    return new Contract(document, schemas, true, compiled);
  }

  /** One answer as the client saw it. */
  public record Exchange(
      String method,
      URI uri,
      int status,
      String contentType,
      Map<String, List<String>> headers,
      String body) {}

  /** Thrown into the test that received an answer the document does not allow. */
  public static final class Violation extends AssertionError {
    private static final long serialVersionUID = 1L;

    Violation(String message) {
      super(message);
    }
  }

  /**
   * An answer a test received with its own JDK client (a malformed request, a header {@link
   * HttpApi} would not send, a server started in-process) checked as {@link HttpApi} checks its
   * own, by the document on the class path; returned, so the call wraps the {@code send}.
   */
  public static HttpResponse<String> checked(HttpResponse<String> response) {
    onClassPath().check(exchange(response));
    return response;
  }

  /**
   * A raw HTTP/1.1 answer read off a socket to its end (the request said {@code Connection: close})
   * by a test that writes bytes no client library would, checked by the document on the class path.
   */
  public static void checkRaw(String method, URI uri, byte[] answer) {
    onClassPath().check(exchange(method, uri, answer));
  }

  private static Contract onClassPath() {
    return fromClassPath()
        .orElseThrow(() -> new IllegalStateException(RESOURCE + " is not on the class path"));
  }

  /** One answer of the JDK's client, as the document judges it. */
  public static Exchange exchange(HttpResponse<String> r) {
    return new Exchange(
        r.request().method(),
        r.request().uri(),
        r.statusCode(),
        r.headers().firstValue("Content-Type").orElse(null),
        r.headers().map(),
        r.body());
  }

  /** One raw HTTP/1.1 answer (status line, headers, a body of fixed length or chunked). */
  public static Exchange exchange(String method, URI uri, byte[] answer) {
    String text = new String(answer, StandardCharsets.ISO_8859_1);
    int headEnd = text.indexOf("\r\n\r\n");
    if (headEnd < 0) {
      throw new IllegalArgumentException("not a complete HTTP answer: " + abbreviated(text));
    }
    String[] lines = text.substring(0, headEnd).split("\r\n");
    String[] statusLine = lines[0].split(" ", 3);
    if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
      throw new IllegalArgumentException("not an HTTP status line: " + lines[0]);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers
            .computeIfAbsent(lines[i].substring(0, colon).strip(), k -> new ArrayList<>())
            .add(lines[i].substring(colon + 1).strip());
      }
    }
    Exchange head = new Exchange(method, uri, Integer.parseInt(statusLine[1]), null, headers, null);
    String rest = text.substring(headEnd + 4);
    String chunked = header(head, "Transfer-Encoding");
    String body =
        chunked != null && chunked.toLowerCase(Locale.ROOT).contains("chunked")
            ? dechunked(rest)
            : rest;
    return new Exchange(
        method,
        uri,
        head.status(),
        header(head, "Content-Type"),
        headers,
        new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
  }

  private static String dechunked(String chunks) {
    StringBuilder body = new StringBuilder();
    int at = 0;
    while (true) {
      int lineEnd = chunks.indexOf("\r\n", at);
      if (lineEnd < 0) {
        throw new IllegalArgumentException("a chunked body cut short");
      }
      String size = chunks.substring(at, lineEnd);
      int semicolon = size.indexOf(';');
      int length =
          Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).strip(), 16);
      if (length == 0) {
        return body.toString();
      }
      body.append(chunks, lineEnd + 2, lineEnd + 2 + length);
      at = lineEnd + 2 + length + 2;
    }
  }

  /** Throws a {@link Violation} naming every mismatch of {@code exchange} with the document. */
  public void check(Exchange exchange) {
    List<String> mismatches = mismatches(exchange);
    if (!mismatches.isEmpty()) {
      throw new Violation(
          exchange.method()
              + " "
              + exchange.uri().getRawPath()
              + " answered "
              + exchange.status()
              + " "
              + abbreviated(exchange.body())
              + ", which the OpenAPI document (service/src/main/resources/openapi.json) does not"
              + " allow: "
              + String.join("; ", mismatches));
    }
  }

  /** Every way {@code exchange} differs from the document; empty when it matches. */
  public List<String> mismatches(Exchange exchange) {
    List<String> found = new ArrayList<>();
    String path = withoutDotSegments(exchange.uri().getRawPath());
    Template template = template(path);
    // A request the HTTP parser refuses (a bad header, an overlong URI) is a 400 problem before any
    // route is looked for, so on a path or method the document lacks too (components P400 says so).
    if (template == null) {
      expectProblem(exchange, Set.of(404, 400), "the document has no path " + path, found);
      return found;
    }
    String method = exchange.method().toLowerCase(Locale.ROOT);
    JsonNode operation = document.path("paths").path(template.path()).path(method);
    if (!operation.isObject()) {
      expectProblem(
          exchange,
          Set.of(404, 405, 400),
          "the document has no " + exchange.method() + " " + template.path(),
          found);
      return found;
    }
    String where = exchange.method() + " " + template.path();
    JsonNode responses = operation.path("responses");
    String status = Integer.toString(exchange.status());
    String key =
        responses.has(status)
            ? status
            : responses.has(status.charAt(0) + "XX")
                ? status.charAt(0) + "XX"
                : responses.has("default") ? "default" : null;
    if (key == null) {
      if (absentRoutesAllowed && exchange.status() == 404) {
        expectProblem(exchange, Set.of(404), "", found);
        return found;
      }
      found.add(where + " documents no status " + status);
      return found;
    }
    String pointer =
        "/paths/" + escape(template.path()) + "/" + method + "/responses/" + escape(key);
    checkResponse(exchange, where + " " + status, pointer, found);
    return found;
  }

  private void checkResponse(Exchange exchange, String where, String pointer, List<String> found) {
    JsonNode response = document.at(pointer);
    while (response.has("$ref")) {
      pointer = response.get("$ref").asText().substring(1);
      response = document.at(pointer);
    }
    for (Iterator<Map.Entry<String, JsonNode>> headers = response.path("headers").fields();
        headers.hasNext(); ) {
      Map.Entry<String, JsonNode> header = headers.next();
      if (header.getValue().path("required").asBoolean(false)
          && header(exchange, header.getKey()) == null) {
        found.add(where + " requires the header " + header.getKey());
      }
    }
    JsonNode content = response.path("content");
    boolean empty = exchange.body() == null || exchange.body().isEmpty();
    if (!content.isObject() || content.size() == 0) {
      if (!empty) {
        found.add(where + " documents no body, but one came");
      }
      return;
    }
    String mediaType = mediaType(exchange.contentType());
    if (mediaType == null || !content.has(mediaType)) {
      List<String> listed = new ArrayList<>();
      content.fieldNames().forEachRemaining(listed::add);
      found.add(where + " is documented as " + listed + ", not " + exchange.contentType());
      return;
    }
    if (!mediaType.equals("application/json") && !mediaType.endsWith("+json")) {
      return; // text, HTML, scripts: the media type is what a client relies on
    }
    if (!content.get(mediaType).has("schema")) {
      return;
    }
    JsonNode body;
    try {
      body = empty ? null : json.readTree(exchange.body());
    } catch (IOException e) {
      found.add(where + " is " + mediaType + " but its body is not JSON");
      return;
    }
    if (body == null) {
      found.add(where + " is " + mediaType + " but came without a body");
      return;
    }
    JsonNode schema = content.get(mediaType).get("schema");
    String location =
        schema.size() == 1 && schema.has("$ref")
            ? schema.get("$ref").asText()
            : "#" + fragment(pointer + "/content/" + escape(mediaType) + "/schema");
    for (ValidationMessage m : schema(location).validate(body)) {
      found.add(where + " body: " + m.getMessage());
    }
  }

  /** An answer refusing a path or method the document lacks: the problem of one of these codes. */
  private void expectProblem(
      Exchange exchange, Set<Integer> statuses, String why, List<String> found) {
    if (!statuses.contains(exchange.status())) {
      found.add(
          why
              + ": an undocumented route (document it in openapi.json, or answer it "
              + statuses
              + ")");
      return;
    }
    String pointer = "/components/responses/P" + exchange.status();
    if (document.at(pointer).isMissingNode()) {
      found.add("the document has no " + pointer);
      return;
    }
    checkResponse(exchange, "the refusal " + exchange.status(), pointer, found);
  }

  /**
   * The path with its dot segments resolved, as the service's router sees it: {@code /a/../b} and
   * {@code /a/%2e%2e/b} are {@code /b} (RFC 3986 5.2.4; an escaped dot is a dot, 6.2.2.2), so a dot
   * segment is never an id. Empty segments stay ({@link URI#normalize} would merge them).
   */
  static String withoutDotSegments(String rawPath) {
    String[] in = rawPath.split("/", -1);
    List<String> out = new ArrayList<>();
    for (int i = 1; i < in.length; i++) {
      String segment = in[i].replaceAll("(?i)%2e", ".");
      boolean last = i == in.length - 1;
      if (segment.equals("..")) {
        if (!out.isEmpty()) {
          out.remove(out.size() - 1);
        }
      } else if (!segment.equals(".")) {
        out.add(in[i]);
        continue;
      }
      if (last) {
        out.add(""); // /a/b/.. is /a/
      }
    }
    return "/" + String.join("/", out);
  }

  /** The schema at {@code location}, a reference inside the document ({@code #/…}). */
  private JsonSchema schema(String location) {
    return compiled.computeIfAbsent(
        location, l -> schemas.getSchema(SchemaLocation.of(DOCUMENT_IRI + l)));
  }

  /** A JSON pointer as a URI fragment: path templates' braces are not allowed there as they are. */
  private static String fragment(String pointer) {
    return pointer.replace("{", "%7B").replace("}", "%7D");
  }

  private Template template(String path) {
    String[] segments = path.split("/", -1);
    for (Template t : templates) {
      if (t.segments().length != segments.length) {
        continue;
      }
      boolean match = true;
      for (int i = 0; i < segments.length && match; i++) {
        String literal = t.segments()[i];
        match = literal == null ? !segments[i].isEmpty() : literal.equals(segments[i]);
      }
      if (match) {
        return t;
      }
    }
    return null;
  }

  private static String header(Exchange exchange, String name) {
    for (Map.Entry<String, List<String>> h : exchange.headers().entrySet()) {
      if (h.getKey().equalsIgnoreCase(name) && !h.getValue().isEmpty()) {
        return h.getValue().get(0);
      }
    }
    return null;
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return null;
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.strip().toLowerCase(Locale.ROOT);
  }

  /** A JSON pointer token (RFC 6901). */
  private static String escape(String token) {
    return token.replace("~", "~0").replace("/", "~1");
  }

  private static String abbreviated(String body) {
    if (body == null) {
      return "(no body)";
    }
    return body.length() <= 300 ? body : body.substring(0, 300) + "…";
  }
}
