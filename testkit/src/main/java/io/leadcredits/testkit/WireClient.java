package io.leadcredits.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The load generator's HTTP/1.1 client: one keep-alive connection per closed-loop client, all
 * served by one selector thread, requests written as pre-built bytes and answers parsed only as far
 * as the status line and Content-Length. The JDK's HttpClient costs several times more CPU per
 * request; on a 2-core machine shared with the service and PostgreSQL that made the generator the
 * bottleneck, which is exactly what a benchmark must not measure. Callbacks run on the selector
 * thread and must not block. Its answers are not judged on the way, which would block that thread;
 * given a {@link DistinctAnswers}, it keeps the distinct ones for a test to judge afterwards.
 */
public final class WireClient implements AutoCloseable {

  /** What a finished exchange tells its sender: the status, -1 broken connection, 0 timeout. */
  @FunctionalInterface
  public interface Callback {
    void done(int status, byte[] body);
  }

  /** How long a request may wait for its answer before it counts as a timeout. */
  public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private static final long timeoutNanos = REQUEST_TIMEOUT.toNanos();

  private static final byte[] CONTENT_LENGTH =
      "content-length:".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CONNECTION_CLOSE =
      "connection: close".getBytes(StandardCharsets.US_ASCII);

  private final InetSocketAddress[] addresses;
  private final Selector selector;
  private final Connection[] connections;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Thread loop;
  private final DistinctAnswers recording;
  private volatile boolean running = true;

  public WireClient(int port, int connectionCount) throws IOException {
    this(List.of(port), connectionCount);
  }

  /** {@code connectionCount} connections spread over {@code ports} in turn (one node each). */
  public WireClient(List<Integer> ports, int connectionCount) throws IOException {
    this(ports, connectionCount, null);
  }

  /** {@code connectionCount} connections to one port, keeping distinct answers in {@code into}. */
  public WireClient(int port, int connectionCount, DistinctAnswers into) throws IOException {
    this(List.of(port), connectionCount, into);
  }

  /**
   * {@code connectionCount} connections spread over {@code ports}, every complete answer also
   * offered to {@code recording} (null: none, as the benchmark runs, at no cost).
   */
  public WireClient(List<Integer> ports, int connectionCount, DistinctAnswers recording)
      throws IOException {
    this.recording = recording;
    this.addresses = new InetSocketAddress[ports.size()];
    for (int i = 0; i < ports.size(); i++) {
      addresses[i] = new InetSocketAddress("127.0.0.1", ports.get(i));
    }
    this.selector = Selector.open();
    this.connections = new Connection[connectionCount];
    for (int i = 0; i < connectionCount; i++) {
      connections[i] = new Connection(addresses[i % addresses.length]);
    }
    this.loop = new Thread(this::run, "bench-wire");
    loop.setDaemon(true);
    loop.start();
  }

  /** The bytes of a request with the headers the API needs. */
  public static byte[] request(String method, String path, String token, String jsonBody) {
    StringBuilder b = new StringBuilder(256);
    b.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    if (token != null) {
      b.append("Authorization: Bearer ").append(token).append("\r\n");
    }
    byte[] body = jsonBody == null ? new byte[0] : jsonBody.getBytes(StandardCharsets.UTF_8);
    if (jsonBody != null) {
      b.append("Content-Type: application/json\r\n");
    }
    b.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    byte[] head = b.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + body.length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    return all;
  }

  /** Sends on a connection that has no request in flight (one per closed-loop client). */
  public void send(int connection, byte[] request, Callback callback) {
    tasks.add(() -> connections[connection].start(request, callback));
    selector.wakeup();
  }

  private void run() {
    while (running) {
      try {
        selector.select(100);
        Runnable task;
        while ((task = tasks.poll()) != null) {
          task.run();
        }
        for (SelectionKey key : selector.selectedKeys()) {
          ((Connection) key.attachment()).ready(key);
        }
        selector.selectedKeys().clear();
        long now = System.nanoTime();
        for (Connection c : connections) {
          c.expireIfLate(now);
        }
      } catch (IOException | RuntimeException e) {
        // One connection's trouble is reported to its callback; the loop itself keeps going.
      }
    }
  }

  @Override
  public void close() throws IOException {
    running = false;
    selector.wakeup();
    try {
      loop.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (Connection c : connections) {
      c.closeChannel();
    }
    selector.close();
  }

  /** One keep-alive connection and the exchange in flight on it, if any. */
  private final class Connection {
    private final InetSocketAddress address;
    private SocketChannel channel;
    private SelectionKey key;
    private ByteBuffer out;
    private ByteBuffer in = ByteBuffer.allocate(8_192);
    private Callback callback;
    private byte[] request;
    private long startedNanos;

    Connection(InetSocketAddress address) {
      this.address = address;
    }

    void start(byte[] request, Callback cb) {
      callback = cb;
      this.request = request;
      startedNanos = System.nanoTime();
      out = ByteBuffer.wrap(request);
      in.clear();
      try {
        if (channel == null) {
          channel = SocketChannel.open();
          channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
          channel.configureBlocking(false);
          boolean connected = channel.connect(address);
          key =
              channel.register(
                  selector, connected ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT, this);
        } else {
          key.interestOps(SelectionKey.OP_WRITE);
        }
      } catch (IOException e) {
        fail(-1);
      }
    }

    void ready(SelectionKey k) {
      try {
        if (k.isConnectable() && channel.finishConnect()) {
          k.interestOps(SelectionKey.OP_WRITE);
        }
        if (k.isValid() && k.isWritable()) {
          channel.write(out);
          if (!out.hasRemaining()) {
            k.interestOps(SelectionKey.OP_READ);
          }
        }
        if (k.isValid() && k.isReadable()) {
          read();
        }
      } catch (IOException | RuntimeException e) {
        fail(-1);
      }
    }

    private void read() throws IOException {
      if (!in.hasRemaining()) {
        ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
        in.flip();
        bigger.put(in);
        in = bigger;
      }
      if (channel.read(in) < 0) {
        fail(-1);
        return;
      }
      byte[] bytes = in.array();
      int headEnd = indexOfBlankLine(bytes, in.position());
      if (headEnd < 0) {
        return;
      }
      int length = (int) headerNumber(bytes, headEnd, CONTENT_LENGTH);
      int total = headEnd + 4 + length;
      if (in.position() < total) {
        return;
      }
      int status = (bytes[9] - '0') * 100 + (bytes[10] - '0') * 10 + (bytes[11] - '0');
      byte[] body = new byte[length];
      System.arraycopy(bytes, headEnd + 4, body, 0, length);
      key.interestOps(0);
      if (recording != null) {
        recording.record(request, bytes, headEnd, status, body);
      }
      Callback cb = callback;
      callback = null;
      if (headerLine(bytes, headEnd, CONNECTION_CLOSE) >= 0) {
        closeChannel();
      }
      cb.done(status, body);
    }

    void expireIfLate(long now) {
      if (callback != null && now - startedNanos > timeoutNanos) {
        fail(0);
      }
    }

    private void fail(int status) {
      closeChannel();
      Callback cb = callback;
      callback = null;
      if (cb != null) {
        cb.done(status, null);
      }
    }

    void closeChannel() {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException ignored) {
          // closing a broken connection: nothing left to do
        }
        channel = null;
        key = null;
      }
    }
  }

  private static int indexOfBlankLine(byte[] b, int end) {
    for (int i = 0; i + 3 < end; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') {
        return i;
      }
    }
    return -1;
  }

  /**
   * Where the value of the head's line starting with {@code prefix} begins (the prefix is lower
   * case, matched case-insensitively), or -1 if there is no such line. Read without turning the
   * head into strings: the generator reads every answer, and its own allocation would show up as GC
   * pauses in the latencies it reports.
   */
  private static int headerLine(byte[] b, int headEnd, byte[] prefix) {
    for (int i = 0; i + 1 < headEnd; i++) {
      if (b[i] == '\r' && b[i + 1] == '\n' && startsWithIgnoreCase(b, i + 2, headEnd, prefix)) {
        return i + 2 + prefix.length;
      }
    }
    return -1;
  }

  /** The decimal value of the header starting with {@code prefix}, or 0 if there is none. */
  private static long headerNumber(byte[] b, int headEnd, byte[] prefix) {
    int at = headerLine(b, headEnd, prefix);
    long value = 0;
    for (int i = at; at >= 0 && i < headEnd && b[i] != '\r'; i++) {
      if (b[i] >= '0' && b[i] <= '9') {
        value = Math.addExact(Math.multiplyExact(value, 10), b[i] - '0');
      } else if (b[i] != ' ') {
        throw new IllegalStateException("malformed Content-Length");
      }
    }
    return value;
  }

  private static boolean startsWithIgnoreCase(byte[] b, int from, int end, byte[] lowerPrefix) {
    if (from + lowerPrefix.length > end) {
      return false;
    }
    for (int k = 0; k < lowerPrefix.length; k++) {
      byte c = b[from + k];
      if (c >= 'A' && c <= 'Z') {
        c = (byte) (c + ('a' - 'A'));
      }
      if (c != lowerPrefix[k]) {
        return false;
      }
    }
    return true;
  }
}
