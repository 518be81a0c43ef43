package io.leadcredits.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.mediatype.ContentAnalyser;
import io.vertx.openapi.mediatype.ContentAnalyserFactory;
import io.vertx.openapi.mediatype.MediaTypeInfo;
import io.vertx.openapi.mediatype.MediaTypeRegistration;
import io.vertx.openapi.mediatype.MediaTypeRegistry;
import io.vertx.openapi.validation.ResponseParameter;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.openapi.validation.ValidationContext;
import io.vertx.openapi.validation.ValidatorErrorType;
import io.vertx.openapi.validation.ValidatorException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/**
 * The service's OpenAPI document as the judge of every answer a client receives. The route is found
 * by method and path: the path must be one of the document's templates (else the answer must be a
 * 404 problem: a route the document lacks is a failure, so a new route is documented before its
 * tests pass), the method one of the path's operations (else a 404 or 405 problem; on either, also
 * the 400 problem of a request the HTTP parser refused before routing). The answer is then
 * validated as that operation's response by Eclipse Vert.x's OpenAPI 3.1 validator ({@code
 * vertx-openapi}'s {@link ResponseValidator}): the status one of the operation's responses, the
 * media type one of that response's, its headers valid, a JSON body valid against the response's
 * schema (JSON Schema 2020-12, as OpenAPI 3.1 says). A refusal of an undocumented route is
 * validated as the document's shared problem response ({@code components/responses/P404} ...),
 * through an operation that refers to it.
 */
public final class Contract {
  /** Where the service keeps its document, on the class path of every service and its tests. */
  public static final String RESOURCE = "openapi.json";

  private static final ObjectMapper json = new ObjectMapper();

  private static volatile Optional<Contract> fromClassPath;

  private final JsonNode document;
  private final Judge judge;
  private final List<Template> templates = new ArrayList<>();
  private final boolean absentRoutesAllowed;

  /** A path template split into segments; {@code null} where a parameter stands. */
  private record Template(String path, String[] segments, int literals) {}

  private Contract(JsonNode document, Judge judge, boolean absentRoutesAllowed) {
    this.document = document;
    this.judge = judge;
    this.absentRoutesAllowed = absentRoutesAllowed;
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

  /**
   * A contract judging by {@code document}, an OpenAPI 3.1 document; fails if Vert.x does not
   * accept the document.
   */
  public static Contract of(String document) {
    JsonNode node;
    try {
      node = json.readTree(document);
    } catch (IOException e) {
      throw new IllegalArgumentException("the OpenAPI document is not JSON", e);
    }
    return new Contract(node, Judge.of(node, document), false);
  }

  /**
   * The contract of the service whose document is on the class path, read once; empty where no
   * service is on the class path.
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
    return new Contract(document, judge, true);
  }

  /**
   * The names of every header a response of the document describes ({@code Retry-After} of a 503,
   * {@code Idempotent-Replayed} ...), as the document spells them: what a client that keeps only
   * part of an answer's head must keep for it to be judged.
   */
  public Set<String> responseHeaders() {
    Set<String> names = new LinkedHashSet<>();
    collectResponseHeaders(document, false, names);
    return names;
  }

  private static void collectResponseHeaders(
      JsonNode node, boolean inComponents, Set<String> names) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        // components/headers holds reusable header objects keyed by reference names, not by the
        // names a response sends them under.
        if (field.getKey().equals("headers") && field.getValue().isObject() && !inComponents) {
          field.getValue().fieldNames().forEachRemaining(names::add);
        }
        collectResponseHeaders(field.getValue(), field.getKey().equals("components"), names);
      }
    } else if (node.isArray()) {
      node.elements().forEachRemaining(child -> collectResponseHeaders(child, false, names));
    }
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
      refusal(exchange, Set.of(404, 400), "the document has no path " + path, found);
      return found;
    }
    String method = exchange.method().toLowerCase(Locale.ROOT);
    JsonNode operation = document.path("paths").path(template.path()).path(method);
    if (!operation.isObject()) {
      refusal(
          exchange,
          Set.of(404, 405, 400),
          "the document has no " + exchange.method() + " " + template.path(),
          found);
      return found;
    }
    String where = exchange.method() + " " + template.path() + " " + exchange.status();
    String operationId = operation.path("operationId").asText("");
    if (operationId.isEmpty()) {
      found.add(where + ": the operation has no operationId, by which the validator finds it");
      return found;
    }
    if (absentRoutesAllowed && exchange.status() == 404 && !judge.documents(operationId, 404)) {
      refusal(exchange, Set.of(404), "", found);
      return found;
    }
    String mismatch = judge.mismatch(exchange, operationId);
    if (mismatch != null) {
      found.add(where + ": " + mismatch);
    }
    return found;
  }

  /**
   * An answer refusing a path or method the document lacks: the shared problem response of one of
   * these codes ({@code components/responses/P404} ...), validated as the response of an operation
   * that refers to it, since the validator knows responses only by their operations.
   */
  private void refusal(Exchange exchange, Set<Integer> statuses, String why, List<String> found) {
    if (!statuses.contains(exchange.status())) {
      found.add(
          why
              + ": an undocumented route (document it in openapi.json, or answer it "
              + statuses
              + ")");
      return;
    }
    String operationId = judge.sharing(exchange.status());
    if (operationId == null) {
      found.add("no operation of the document answers components/responses/P" + exchange.status());
      return;
    }
    String mismatch = judge.mismatch(exchange, operationId);
    if (mismatch != null) {
      found.add("the refusal " + exchange.status() + ": " + mismatch);
    }
  }

  /**
   * The document as Vert.x's validator holds it. Where it cannot take the document as the service
   * serves it, it is given an equivalent: a relative server URL ({@code /}, the service's own
   * origin) made absolute, since it reads a server's base path with {@link java.net.URL}; the media
   * types besides JSON, text and forms that it knows (problem+json, HTML, scripts, CSS, CSV)
   * registered, the {@code +json} ones parsed and validated as JSON and the others taken as text.
   */
  private static final class Judge {
    private static final Set<String> METHODS =
        Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");

    /** Where a relative server URL is resolved: only its path matters to the validator. */
    private static final String ORIGIN = "http://leadcredits.invalid";

    private final OpenAPIContract contract;
    private final ResponseValidator validator;
    private final Map<Integer, String> sharing;

    private Judge(OpenAPIContract contract, Map<Integer, String> sharing) {
      this.contract = contract;
      this.validator = ResponseValidator.create(Shared.vertx, contract);
      this.sharing = sharing;
    }

    static Judge of(JsonNode document, String text) {
      // Vert.x keys operations by id: without one, it fails on the second with "Duplicate key
      // null".
      List<String> anonymous = new ArrayList<>();
      document
          .path("paths")
          .fields()
          .forEachRemaining(
              path ->
                  path.getValue()
                      .fields()
                      .forEachRemaining(
                          operation -> {
                            if (METHODS.contains(operation.getKey())
                                && operation.getValue().path("operationId").asText("").isEmpty()) {
                              anonymous.add(
                                  operation.getKey().toUpperCase(Locale.ROOT)
                                      + " "
                                      + path.getKey());
                            }
                          }));
      if (!anonymous.isEmpty()) {
        throw new IllegalArgumentException(
            "every operation needs an operationId, by which the validator finds it: " + anonymous);
      }
      JsonObject given = new JsonObject(text);
      JsonArray servers = given.getJsonArray("servers");
      if (servers != null) {
        for (int i = 0; i < servers.size(); i++) {
          JsonObject server = servers.getJsonObject(i);
          String url = server.getString("url", "");
          if (url.startsWith("/")) {
            server.put("url", ORIGIN + url);
          }
        }
      }
      // Vert.x's text registration hands a body over as bytes, which its schema validator refuses
      // where the document gives a text body a schema ({"type": "string"}): text is read as text.
      MediaTypeRegistry registry =
          MediaTypeRegistry.createEmpty()
              .register(MediaTypeRegistration.APPLICATION_JSON)
              .register(MediaTypeRegistration.VENDOR_SPECIFIC_JSON)
              .register(MediaTypeRegistration.MULTIPART_FORM_DATA)
              .register(MediaTypeRegistration.APPLICATION_X_WWW_FORM_URL_ENCODED)
              .register(MediaTypeRegistration.APPLICATION_OCTET_STREAM);
      for (String type : mediaTypes(document)) {
        if (!registry.isSupported(type)) {
          String full = MediaTypeInfo.of(type).fullType();
          registry.register(
              registration(
                  full, full.endsWith("+json") ? ContentAnalyserFactory.json() : Judge::text));
        }
      }
      try {
        OpenAPIContract contract =
            OpenAPIContract.builder(Shared.vertx)
                .setContract(given)
                .mediaTypeRegistry(registry)
                .build()
                .toCompletionStage()
                .toCompletableFuture()
                .get();
        return new Judge(contract, sharing(document));
      } catch (ExecutionException e) {
        throw new IllegalArgumentException(
            "Vert.x's OpenAPI validator does not accept the document: " + e.getCause().getMessage(),
            e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    /** Every media type the document lists for a body. */
    private static Set<String> mediaTypes(JsonNode node) {
      Set<String> types = new LinkedHashSet<>();
      if (node.isObject()) {
        JsonNode content = node.path("content");
        if (content.isObject()) {
          content
              .fieldNames()
              .forEachRemaining(
                  t -> {
                    if (t.contains("/")) {
                      types.add(t);
                    }
                  });
        }
        node.elements().forEachRemaining(child -> types.addAll(mediaTypes(child)));
      } else if (node.isArray()) {
        node.elements().forEachRemaining(child -> types.addAll(mediaTypes(child)));
      }
      return types;
    }

    /** A text body: any characters, validated as a string where the document has a schema. */
    private static ContentAnalyser text(
        String contentType, Buffer content, ValidationContext context) {
      return new ContentAnalyser() {
        @Override
        public void checkSyntacticalCorrectness() {}

        @Override
        public Object transform() {
          return content.toString(StandardCharsets.UTF_8);
        }
      };
    }

    private static MediaTypeRegistration registration(String type, ContentAnalyserFactory factory) {
      return new MediaTypeRegistration() {
        @Override
        public ContentAnalyser createContentAnalyser(
            String contentType, Buffer content, ValidationContext context) {
          return factory.create(contentType, content, context);
        }

        @Override
        public boolean canHandle(String mediaType) {
          return MediaTypeInfo.of(mediaType).fullType().equalsIgnoreCase(type);
        }

        @Override
        public List<String> supportedTypes() {
          return List.of(type);
        }
      };
    }

    /** For each shared problem response {@code P<status>}, an operation referring to it. */
    private static Map<Integer, String> sharing(JsonNode document) {
      Map<Integer, String> sharing = new HashMap<>();
      for (JsonNode path : document.path("paths")) {
        for (JsonNode operation : path) {
          String id = operation.path("operationId").asText("");
          Iterator<Map.Entry<String, JsonNode>> responses = operation.path("responses").fields();
          while (!id.isEmpty() && responses.hasNext()) {
            Map.Entry<String, JsonNode> r = responses.next();
            String status = r.getKey();
            if (status.matches("\\d{3}")
                && r.getValue()
                    .path("$ref")
                    .asText("")
                    .equals("#/components/responses/P" + status)) {
              sharing.putIfAbsent(Integer.parseInt(status), id);
            }
          }
        }
      }
      return sharing;
    }

    String sharing(int status) {
      return sharing.get(status);
    }

    /**
     * Whether the operation documents {@code status}. Vert.x reads three-digit statuses and {@code
     * default}, not ranges such as {@code 4XX}, which the document does not use.
     */
    boolean documents(String operationId, int status) {
      io.vertx.openapi.contract.Operation operation = contract.operation(operationId);
      return operation.getResponse(status) != null || operation.getDefaultResponse() != null;
    }

    /** What Vert.x finds wrong with {@code exchange} as a response of the operation; null: none. */
    String mismatch(Exchange exchange, String operationId) {
      String body = exchange.body();
      boolean empty = body == null || body.isEmpty();
      io.vertx.openapi.contract.Operation operation = contract.operation(operationId);
      io.vertx.openapi.contract.Response documented =
          Optional.ofNullable(operation.getResponse(exchange.status()))
              .orElse(operation.getDefaultResponse());
      // Vert.x does not look at a body where the response documents none.
      if (documented != null && documented.getContent().isEmpty() && !empty) {
        return "documented without a body, but one came";
      }
      String type = mediaType(exchange.contentType());
      if (!empty && type == null) {
        return "a body came without a Content-Type";
      }
      Map<String, String> headers = new HashMap<>();
      exchange
          .headers()
          .forEach(
              (name, values) -> {
                if (name != null && !values.isEmpty()) {
                  headers.put(name, values.get(0));
                }
              });
      ValidatableResponse response =
          headersInAnyCase(
              ValidatableResponse.create(
                  exchange.status(),
                  headers,
                  empty ? null : Buffer.buffer(body, "UTF-8"),
                  empty ? null : type));
      try {
        validator.validate(response, operationId).toCompletionStage().toCompletableFuture().get();
        return null;
      } catch (ExecutionException e) {
        if (e.getCause() instanceof ValidatorException refused) {
          return describe(refused, documented, exchange.contentType());
        }
        throw new IllegalStateException("Vert.x's validator failed", e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }

    private static String describe(
        ValidatorException refused, io.vertx.openapi.contract.Response documented, String type) {
      if (refused.type() == ValidatorErrorType.UNSUPPORTED_VALUE_FORMAT && documented != null) {
        // "not supported" is Vert.x's word for a media type the response does not list.
        return refused.getMessage()
            + ": documented as "
            + new ArrayList<>(documented.getContent().keySet())
            + ", not "
            + type;
      }
      if (refused instanceof SchemaValidationException invalid
          && invalid.getOutputUnit() != null
          && invalid.getOutputUnit().getErrors() != null
          && invalid.getOutputUnit().getErrors().size() > 1) {
        List<String> all = new ArrayList<>();
        invalid
            .getOutputUnit()
            .getErrors()
            .forEach(u -> all.add(u.getError() + " at " + u.getInstanceLocation()));
        return refused.getMessage() + " (all: " + String.join("; ", all) + ")";
      }
      return refused.getMessage();
    }

    /**
     * The answer with its headers found by the document's spelling in any case: Vert.x keeps a
     * response's header names in lower case but looks each up as the document spells it ({@code
     * Retry-After}), so it would never see one; HTTP header names are case-insensitive.
     */
    private static ValidatableResponse headersInAnyCase(ValidatableResponse response) {
      Map<String, ResponseParameter> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
      headers.putAll(response.getHeaders());
      return new ValidatableResponse() {
        @Override
        public Map<String, ResponseParameter> getHeaders() {
          return headers;
        }

        @Override
        public ResponseParameter getBody() {
          return response.getBody();
        }

        @Override
        public String getContentType() {
          return response.getContentType();
        }

        @Override
        public int getStatusCode() {
          return response.getStatusCode();
        }
      };
    }
  }

  /**
   * The one Vert.x instance of the process, whose worker threads run the validations. Its threads
   * are not daemons: a JVM that judges answers ends with {@code System.exit} (Surefire's forks and
   * the command line do).
   */
  private static final class Shared {
    static final Vertx vertx = Vertx.vertx();
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

  private static String abbreviated(String body) {
    if (body == null) {
      return "(no body)";
    }
    return body.length() <= 300 ? body : body.substring(0, 300) + "…";
  }
}
