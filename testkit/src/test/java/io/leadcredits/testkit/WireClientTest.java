package io.leadcredits.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The generator's client against a socket that answers with hand-written bytes. */
class WireClientTest {
  private record Answer(int status, String body) {}

  @Test
  void readsStatusAndBodyWhateverTheHeaderCaseAndHowTheBytesArrive() throws Exception {
    List<byte[]> answers =
        List.of(
            ascii(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nContent-Length: 11\r\n\r\n"),
            ascii("{\"a\":12345}"),
            ascii("HTTP/1.1 409 Conflict\r\nCONTENT-LENGTH:  7\r\nX-Other: 1\r\n\r\nno slot"),
            ascii("HTTP/1.1 204 No Content\r\nServer: x\r\n\r\n"));
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        WireClient client = new WireClient(server.getLocalPort(), 1)) {
      CompletableFuture<Void> serving =
          CompletableFuture.runAsync(() -> answer(server, List.of(2, 1, 1), answers));
      assertThat(exchange(client)).isEqualTo(new Answer(200, "{\"a\":12345}"));
      assertThat(exchange(client)).isEqualTo(new Answer(409, "no slot"));
      assertThat(exchange(client)).isEqualTo(new Answer(204, ""));
      serving.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void anAnswerThatClosesTheConnectionIsReadAndTheNextRequestReconnects() throws Exception {
    byte[] closing =
        ascii("HTTP/1.1 503 Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
    byte[] ok = ascii("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    try (ServerSocket server = new ServerSocket(0, 2, InetAddress.getLoopbackAddress());
        WireClient client = new WireClient(server.getLocalPort(), 1)) {
      CompletableFuture<Void> serving =
          CompletableFuture.runAsync(
              () -> {
                answer(server, List.of(1), List.of(closing));
                answer(server, List.of(1), List.of(ok));
              });
      assertThat(exchange(client)).isEqualTo(new Answer(503, ""));
      assertThat(exchange(client)).isEqualTo(new Answer(200, "ok"));
      serving.get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aMalformedContentLengthIsABrokenExchange() throws Exception {
    byte[] bad = ascii("HTTP/1.1 200 OK\r\nContent-Length: 1x\r\n\r\nabc");
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        WireClient client = new WireClient(server.getLocalPort(), 1)) {
      CompletableFuture<Void> serving =
          CompletableFuture.runAsync(() -> answer(server, List.of(1), List.of(bad)));
      assertThat(exchange(client).status()).isEqualTo(-1);
      serving.get(10, TimeUnit.SECONDS);
    }
  }

  private static Answer exchange(WireClient client) throws InterruptedException {
    BlockingQueue<Answer> done = new ArrayBlockingQueue<>(1);
    client.send(
        0,
        WireClient.request("GET", "/x", "token", null),
        (status, body) ->
            done.add(
                new Answer(status, body == null ? "" : new String(body, StandardCharsets.UTF_8))));
    Answer answer = done.poll(10, TimeUnit.SECONDS);
    assertThat(answer).as("an answer within 10 s").isNotNull();
    return answer;
  }

  /**
   * Accepts one connection; for each request read, writes the next {@code chunksPerAnswer} chunks
   * of {@code chunks}, flushing each on its own so the client sees them in separate reads.
   */
  private static void answer(
      ServerSocket server, List<Integer> chunksPerAnswer, List<byte[]> chunks) {
    try (Socket socket = server.accept()) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      int next = 0;
      for (int count : chunksPerAnswer) {
        readRequestHead(in);
        for (int i = 0; i < count; i++) {
          out.write(chunks.get(next++));
          out.flush();
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void readRequestHead(InputStream in) throws IOException {
    int matched = 0;
    byte[] end = ascii("\r\n\r\n");
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("request ended early");
      }
      matched = b == end[matched] ? matched + 1 : (b == end[0] ? 1 : 0);
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
