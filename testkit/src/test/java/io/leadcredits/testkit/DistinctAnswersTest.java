package io.leadcredits.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The answers a {@link WireClient} keeps, judged after the load by a small document: a stub on a
 * socket answers a documented route with hand-written bytes, planted violations among them.
 */
class DistinctAnswersTest {
  private static final Contract contract =
      Contract.of(
          """
          {"openapi": "3.1.0", "info": {"title": "t", "version": "1"},
           "paths": {"/things/{id}": {"get": {"operationId": "getThing", "responses": {
             "200": {"description": "a thing",
               "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}},
             "503": {"description": "busy",
               "headers": {"Retry-After": {"required": true, "schema": {"type": "integer"}}},
               "content": {"application/problem+json": {"schema": {"type": "object",
                 "required": ["code"], "properties": {"code": {"type": "string"}}}}}}}}}},
           "components": {"schemas": {"Thing": {"type": "object", "required": ["name"],
             "properties": {"name": {"type": "string"}}}}}}
          """);

  private static final String refusal = "{\"code\":\"OVERLOADED\"}";

  @Test
  void theDocumentNamesTheHeadersItsResponsesDescribe() {
    assertThat(contract.responseHeaders()).containsExactly("Retry-After");
  }

  @Test
  void aFloodOfLikeAnswersIsKeptOnceAndEveryKeptAnswerIsJudged() throws Exception {
    List<byte[]> answers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      // Alike but for a header the document does not describe: one shape.
      answers.add(
          answer(
              "503 Service Unavailable",
              "Date: " + i + "\r\nRetry-After: 1\r\ncontent-type: application/problem+json\r\n",
              refusal));
    }
    answers.add(answer("200 OK", "Content-Type: application/json\r\n", "{\"name\":\"a\"}"));
    // The planted violations: a refusal without its Retry-After, a thing without its name.
    answers.add(
        answer("503 Service Unavailable", "Content-Type: application/problem+json\r\n", refusal));
    answers.add(answer("200 OK", "Content-Type: application/json\r\n", "{\"nom\":1}"));
    DistinctAnswers kept = DistinctAnswers.of(contract);

    exchangeAll("/things/a", answers, kept);

    assertThat(kept.received()).isEqualTo(53);
    assertThat(kept.beyondBounds()).isZero();
    assertThat(kept.kept()).hasSize(4);
    assertThat(kept.kept().get(0).times()).isEqualTo(50);
    assertThat(kept.kept().get(0).exchange().headers())
        .containsOnlyKeys("Retry-After", "content-type");
    List<String> violations = kept.violations(contract);
    assertThat(violations).hasSize(2);
    assertThat(violations.get(0)).contains("answered 503").contains("Retry-After");
    assertThat(violations.get(1)).contains("answered 200").contains("{\"nom\":1}");
    assertThatThrownBy(() -> kept.check(contract))
        .isInstanceOf(Contract.Violation.class)
        .hasMessageContaining("2 distinct answers");
  }

  @Test
  void distinctAnswersBeyondTheBoundsAreCountedNotKept() throws Exception {
    List<byte[]> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      answers.add(
          answer("200 OK", "Content-Type: application/json\r\n", "{\"name\":\"" + i + "\"}"));
    }
    DistinctAnswers kept = new DistinctAnswers(List.of(), 2, 1);

    exchangeAll("/things/a", answers, kept);
    exchangeAll("/things/b", answers.subList(0, 1), kept);

    assertThat(kept.received()).isEqualTo(6);
    assertThat(kept.kept()).hasSize(2);
    assertThat(kept.beyondBounds()).isEqualTo(4);
    assertThat(kept.violations(contract)).isEmpty();
  }

  /** Sends a GET of {@code target} for each answer in turn on one keep-alive connection. */
  private static void exchangeAll(String target, List<byte[]> answers, DistinctAnswers into)
      throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        WireClient client = new WireClient(server.getLocalPort(), 1, into)) {
      CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> serve(server, answers));
      for (int i = 0; i < answers.size(); i++) {
        BlockingQueue<Integer> done = new ArrayBlockingQueue<>(1);
        client.send(
            0,
            WireClient.request("GET", target, "token", null),
            (status, body) -> done.add(status));
        Integer status = done.poll(10, TimeUnit.SECONDS);
        assertThat(status).as("an answer within 10 s").isNotNull().isPositive();
      }
      serving.get(10, TimeUnit.SECONDS);
    }
  }

  private static byte[] answer(String status, String headers, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    byte[] head =
        ("HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: " + bytes.length + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + bytes.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(bytes, 0, all, head.length, bytes.length);
    return all;
  }

  /** Accepts one connection and answers each request read with the next answer. */
  private static void serve(ServerSocket server, List<byte[]> answers) {
    try (Socket socket = server.accept()) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      for (byte[] answer : answers) {
        readRequestHead(in);
        out.write(answer);
        out.flush();
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void readRequestHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("request ended early");
      }
      matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
    }
  }
}
