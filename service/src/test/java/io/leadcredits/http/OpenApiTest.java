package io.leadcredits.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.leadcredits.EngineKind;
import io.leadcredits.support.Await;
import io.leadcredits.support.RunningService;
import io.leadcredits.testkit.Reply;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The OpenAPI document at {@code /api/openapi.json} against the running service: it lists exactly
 * the routes the server answers, every problem code with its status, and its example requests are
 * valid against their own schemas and accepted by the server, whose answers match the documented
 * response schemas.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenApiTest {
  private static final ObjectMapper json = new ObjectMapper();
  private static final JsonSchemaFactory schemas =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  /** The order example requests are sent in: money first, so the debit and the hold can pass. */
  private static final List<String> exampleOrder = List.of("credit", "debit", "reserve");

  private RunningService service;
  private JsonNode doc;

  /** One operation of the document, with its path filled from its parameters' examples. */
  private record Operation(String method, String template, String path, JsonNode spec) {}

  @BeforeAll
  void start(@TempDir Path dataDir) throws IOException {
    // The webhook examples name hosts on example.com: allowing private addresses skips their DNS
    // check, which a machine without a resolver could not pass.
    service =
        new RunningService(
            dataDir, EngineKind.ACTORS, Map.of("leadcredits.webhooks.allow-private", true));
    try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi.json")) {
      doc = json.readTree(in);
    }
  }

  @AfterAll
  void stop() {
    service.close();
  }

  @Test
  void theServiceServesTheDocument() {
    Reply reply = service.send("GET", "/api/openapi.json", null, null);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body()).isEqualTo(doc);
    assertThat(doc.get("openapi").asText()).startsWith("3.1");
  }

  @Test
  void documentsExactlyTheRoutesTheServerHas() {
    Set<String> documented = new LinkedHashSet<>();
    operations().forEach(o -> documented.add(o.method() + " " + o.template()));
    Set<String> served = new LinkedHashSet<>();
    Endpoints.ALL.forEach(e -> served.add(e.method() + " " + e.template()));
    assertThat(documented).containsExactlyInAnyOrderElementsOf(served);
  }

  /**
   * Every documented operation is answered by a route (not 404 or 405), unsigned, with a status the
   * document lists for it, and a problem body that matches the Problem schema.
   */
  @Test
  void everyOperationAnswersWithADocumentedStatus() {
    SoftAssertions soft = new SoftAssertions();
    for (Operation o : operations()) {
      Reply reply = service.send(o.method(), o.path(), null, null);
      String what = o.method() + " " + o.path() + " answered " + reply.status();
      soft.assertThat(reply.status()).as(what).isNotIn(404, 405);
      soft.assertThat(o.spec().get("responses").has(Integer.toString(reply.status())))
          .as(what + ", which is not documented")
          .isTrue();
      if (reply.status() >= 400) {
        soft.assertThat(errors("#/components/schemas/Problem", reply.body())).as(what).isEmpty();
      }
    }
    soft.assertAll();
  }

  /**
   * The server's own answer decides which methods a path has: every method the server routes on a
   * documented path (anything but 404 or 405) must be documented, and every other is refused.
   */
  @Test
  void theServerRoutesNoUndocumentedMethod() {
    Set<String> documented = new LinkedHashSet<>();
    Map<String, String> paths = new java.util.LinkedHashMap<>();
    for (Operation o : operations()) {
      documented.add(o.method() + " " + o.template());
      paths.put(o.template(), o.path());
    }
    SoftAssertions soft = new SoftAssertions();
    for (Map.Entry<String, String> path : paths.entrySet()) {
      for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE")) {
        int status = service.send(method, path.getValue(), null, null).status();
        boolean routed = status != 404 && status != 405;
        soft.assertThat(routed)
            .as(method + " " + path.getKey() + " answered " + status)
            .isEqualTo(documented.contains(method + " " + path.getKey()));
      }
    }
    soft.assertAll();
  }

  @Test
  void everyProblemCodeIsDocumentedWithItsStatus() {
    JsonNode table = doc.get("x-problem-codes");
    JsonNode codeEnum = doc.at("/components/schemas/Problem/properties/code/enum");
    Set<String> enumCodes = new LinkedHashSet<>();
    codeEnum.forEach(c -> enumCodes.add(c.asText()));
    for (ProblemCode code : ProblemCode.values()) {
      assertThat(table.has(code.name())).as(code + " in x-problem-codes").isTrue();
      assertThat(table.get(code.name()).get("status").asInt()).isEqualTo(code.status());
      assertThat(table.get(code.name()).get("title").asText()).isEqualTo(code.title());
      assertThat(enumCodes).contains(code.name());
      JsonNode response = doc.at("/components/responses/P" + code.status());
      assertThat(response.isMissingNode()).as("a response for status " + code.status()).isFalse();
      assertThat(response.toString()).contains(code.name());
    }
    assertThat(table.size()).isEqualTo(ProblemCode.values().length);
  }

  /**
   * Each example request is valid against its schema and, when it carries parameters, is accepted
   * by the server, which answers with a documented success status and a body valid against the
   * documented schema.
   */
  @Test
  void exampleRequestsValidateAndAreAccepted() {
    List<Operation> withExamples = new ArrayList<>();
    for (Operation o : operations()) {
      if (o.spec().at("/requestBody/content/application~1json/examples").isObject()) {
        withExamples.add(o);
      }
    }
    withExamples.sort((a, b) -> Integer.compare(rank(a.spec()), rank(b.spec())));
    assertThat(withExamples).hasSizeGreaterThanOrEqualTo(4);
    for (Operation o : withExamples) {
      JsonNode media = o.spec().at("/requestBody/content/application~1json");
      String schemaRef = media.get("schema").get("$ref").asText();
      media
          .get("examples")
          .fields()
          .forEachRemaining(
              example -> {
                JsonNode body = example.getValue().get("value");
                String what = o.method() + " " + o.path() + " example " + example.getKey();
                assertThat(errors(schemaRef, body)).as(what).isEmpty();
                if (schemaRef.endsWith("/Empty")) {
                  return; // a command without parameters: its answer depends on state, not body
                }
                Reply reply = retried(o.method(), o.path(), body.toString());
                String status = Integer.toString(reply.status());
                assertThat(reply.status()).as(what + ": " + reply.body()).isBetween(200, 299);
                JsonNode success =
                    o.spec().at("/responses/" + status + "/content/application~1json/schema");
                assertThat(success.isMissingNode()).as(what + " status " + status).isFalse();
                assertThat(errors(success.get("$ref").asText(), reply.body())).as(what).isEmpty();
              });
    }
  }

  /** The validator is not a rubber stamp: a body the schema forbids is reported. */
  @Test
  void theValidatorRejectsWhatTheSchemaForbids() {
    assertThat(errors("#/components/schemas/Amount", body("{\"amount\":\"ten\"}"))).isNotEmpty();
    assertThat(errors("#/components/schemas/Amount", body("{\"amount\":5,\"extra\":1}")))
        .isNotEmpty();
    assertThat(errors("#/components/schemas/Reserve", body("{\"transactionId\":\"clm_x\"}")))
        .isNotEmpty();
    assertThat(
            errors("#/components/schemas/CreateLead", body("{\"creditCost\":1,\"maxClaims\":1}")))
        .isEmpty();
  }

  /**
   * As the API tells clients: a 503 is retried with the same request (a cold service on a busy
   * machine may not start its first entity within the ask timeout).
   */
  private Reply retried(String method, String path, String body) {
    Reply[] last = new Reply[1];
    Await.until(
        Duration.ofSeconds(60),
        method + " " + path + " answered other than 503",
        () -> (last[0] = service.send(method, path, service.admin(), body)).status() != 503);
    return last[0];
  }

  private static int rank(JsonNode spec) {
    int i = exampleOrder.indexOf(spec.get("operationId").asText());
    return i < 0 ? exampleOrder.size() : i;
  }

  private Set<ValidationMessage> errors(String ref, JsonNode instance) {
    JsonSchema schema = schemas.getSchema(SchemaLocation.of("classpath:openapi.json" + ref));
    return schema.validate(instance);
  }

  private static JsonNode body(String text) {
    try {
      return json.readTree(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private List<Operation> operations() {
    List<Operation> all = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue()
          .fields()
          .forEachRemaining(
              m ->
                  all.add(
                      new Operation(
                          m.getKey().toUpperCase(),
                          path.getKey(),
                          filled(path.getKey(), m.getValue()),
                          m.getValue())));
    }
    return all;
  }

  /** The template with each path parameter replaced by its documented example. */
  private String filled(String template, JsonNode operation) {
    String path = template;
    for (JsonNode p : operation.path("parameters")) {
      JsonNode param = p.has("$ref") ? doc.at(p.get("$ref").asText().substring(1)) : p;
      if (param.get("in").asText().equals("path")) {
        path = path.replace("{" + param.get("name").asText() + "}", param.get("example").asText());
      }
    }
    return path;
  }
}
