package io.leadcredits.webhook;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes items in batches, one write at a time: what arrives while a batch is being written goes
 * into the next one (group commit). Under load a batch holds everything that arrived during the
 * previous write, so the writes per second stay few however many items there are; when idle an item
 * is written at once, alone.
 */
final class Batcher<T> {
  /** A write of a batch, all or nothing. */
  interface Write<T> {
    void write(List<T> batch) throws SQLException;
  }

  private record Pending<T>(T item, CompletableFuture<Void> written) {}

  private final int batchMax;
  private final Write<T> write;
  private final Executor executor;
  private final ConcurrentLinkedQueue<Pending<T>> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writing = new AtomicBoolean();

  Batcher(int batchMax, Write<T> write, Executor executor) {
    this.batchMax = batchMax;
    this.write = write;
    this.executor = executor;
  }

  /** Completes when {@code item} is written, exceptionally when its batch failed. */
  CompletableFuture<Void> add(T item) {
    CompletableFuture<Void> written = new CompletableFuture<>();
    queue.add(new Pending<>(item, written));
    writeSoon();
    return written;
  }

  private void writeSoon() {
    if (queue.isEmpty() || !writing.compareAndSet(false, true)) {
      return;
    }
    try {
      executor.execute(this::writeBatches);
    } catch (RejectedExecutionException e) {
      writing.set(false);
      failAll(e);
    }
  }

  private void writeBatches() {
    try {
      List<Pending<T>> batch;
      while (!(batch = take()).isEmpty()) {
        List<T> items = new ArrayList<>(batch.size());
        batch.forEach(p -> items.add(p.item()));
        try {
          write.write(items);
          batch.forEach(p -> p.written().complete(null));
        } catch (SQLException | RuntimeException e) {
          batch.forEach(p -> p.written().completeExceptionally(e));
        }
      }
    } finally {
      writing.set(false);
      writeSoon(); // an item added between the last take and the flag's reset
    }
  }

  private List<Pending<T>> take() {
    List<Pending<T>> batch = new ArrayList<>();
    Pending<T> p;
    while (batch.size() < batchMax && (p = queue.poll()) != null) {
      batch.add(p);
    }
    return batch;
  }

  private void failAll(Exception e) {
    Pending<T> p;
    while ((p = queue.poll()) != null) {
      p.written().completeExceptionally(e);
    }
  }
}
