package io.leadcredits.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BatcherTest {
  private final ExecutorService executor = Executors.newFixedThreadPool(4);

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  @Test
  void whatArrivesDuringAWriteGoesOutTogetherInTheNextOne() throws Exception {
    CountDownLatch firstWriteStarted = new CountDownLatch(1);
    CountDownLatch releaseFirstWrite = new CountDownLatch(1);
    List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
    Batcher<Integer> batcher =
        new Batcher<>(
            100,
            batch -> {
              batches.add(List.copyOf(batch));
              if (batches.size() == 1) {
                firstWriteStarted.countDown();
                await(releaseFirstWrite);
              }
            },
            executor);

    CompletableFuture<Void> first = batcher.add(0);
    firstWriteStarted.await(10, TimeUnit.SECONDS);
    List<CompletableFuture<Void>> rest =
        IntStream.rangeClosed(1, 150).mapToObj(batcher::add).toList();
    assertThat(first).isNotDone();
    releaseFirstWrite.countDown();

    first.get(10, TimeUnit.SECONDS);
    CompletableFuture.allOf(rest.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
    assertThat(batches).hasSize(3); // [0], then 100 of those that waited, then the other 50
    assertThat(batches.get(0)).containsExactly(0);
    assertThat(batches.get(1)).hasSize(100);
    assertThat(batches.get(2)).hasSize(50);
    assertThat(batches.stream().flatMap(List::stream).toList())
        .containsExactlyInAnyOrderElementsOf(IntStream.rangeClosed(0, 150).boxed().toList());
  }

  @Test
  void itemsAddedFromManyThreadsAreEachWrittenOnce() throws Exception {
    List<Integer> written = Collections.synchronizedList(new ArrayList<>());
    Batcher<Integer> batcher = new Batcher<>(7, written::addAll, executor);
    ExecutorService adders = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<Void>> all =
          IntStream.range(0, 5_000)
              .mapToObj(i -> CompletableFuture.supplyAsync(() -> batcher.add(i), adders))
              .map(f -> f.thenCompose(written1 -> written1))
              .toList();
      CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0])).get(30, TimeUnit.SECONDS);
    } finally {
      adders.shutdownNow();
    }
    assertThat(written).hasSize(5_000).doesNotHaveDuplicates();
  }

  @Test
  void aFailedWriteFailsOnlyTheItemsOfItsBatch() throws Exception {
    Batcher<String> batcher =
        new Batcher<>(
            10,
            batch -> {
              if (batch.contains("bad")) {
                throw new SQLException("refused");
              }
            },
            executor);
    CompletableFuture<Void> bad = batcher.add("bad");
    ExecutionException failure =
        org.junit.jupiter.api.Assertions.assertThrows(
            ExecutionException.class, () -> bad.get(10, TimeUnit.SECONDS));
    assertThat(failure.getCause()).isInstanceOf(SQLException.class);

    batcher.add("good").get(10, TimeUnit.SECONDS);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
