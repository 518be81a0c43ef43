package io.leadcredits.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.leadcredits.testkit.HttpApi;
import io.leadcredits.testkit.Reply;
import io.leadcredits.testkit.WebhookReceiver;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Load for the tests that SIGKILL a service while its sinks announce what it does: clients credit
 * and debit a few accounts, each request with a transaction id of its own, and the load remembers
 * which it sent and which were acknowledged (200). Afterwards {@link #eventsByTransaction} holds
 * the feed to them: one event per change, none of a change nobody asked for. Also the webhook steps
 * those tests share: registering a receiver, and the deliveries it has with a valid signature.
 */
public final class SinkLoad {
  /** Accounts per round: enough subjects to spread over a topic's partitions. */
  private static final int ACCOUNTS = 5;

  /** How long past its length the load may take to see its acknowledgements. */
  private static final Duration LOAD_TIMEOUT_MAX = Duration.ofSeconds(60);

  private final Set<String> sent = ConcurrentHashMap.newKeySet();
  private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
  private final int workers;
  private final boolean debits;

  /** {@code workers} clients; with {@code debits}, every third request of each is a debit. */
  public SinkLoad(int workers, boolean debits) {
    this.workers = workers;
    this.debits = debits;
  }

  /**
   * Runs the load against {@code api} for {@code length} and until {@code acknowledgedMin} of its
   * requests were acknowledged (a service just started answers its first requests slowly), then
   * returns at once, requests still under way: the kill that follows lands among them. Transaction
   * ids and accounts start with {@code round}.
   */
  public void run(HttpApi api, String round, Duration length, int acknowledgedMin)
      throws InterruptedException {
    int before = acknowledged.size();
    AtomicBoolean running = new AtomicBoolean(true);
    CountDownLatch started = new CountDownLatch(workers);
    ExecutorService pool = Executors.newFixedThreadPool(workers);
    for (int w = 0; w < workers; w++) {
      int worker = w;
      pool.execute(
          () -> {
            started.countDown();
            for (int i = 0; running.get(); i++) {
              boolean debit = debits && i % 3 == 2;
              String tx = (debit ? "d-" : "c-") + round + "-" + worker + "-" + i;
              String path =
                  "/api/accounts/"
                      + round
                      + "-acct-"
                      + ((worker + i) % ACCOUNTS)
                      + (debit ? "/debits" : "/credits");
              sent.add(tx);
              try {
                Reply r =
                    api.send(
                        "POST",
                        path,
                        api.admin(),
                        "{\"amount\":" + (debit ? 1 : 2) + ",\"transactionId\":\"" + tx + "\"}");
                if (r.status() == 200) {
                  acknowledged.add(tx);
                }
              } catch (Exception e) {
                return; // the service is gone
              }
            }
          });
    }
    started.await();
    long end = System.nanoTime() + length.toNanos();
    Await.until(
        length.plus(LOAD_TIMEOUT_MAX),
        "the load has run and " + acknowledgedMin + " requests were acknowledged",
        () -> System.nanoTime() > end && acknowledged.size() - before >= acknowledgedMin);
    running.set(false);
    pool.shutdown();
    // The kill comes while requests are still under way: the workers are not waited for.
    pool.awaitTermination(0, TimeUnit.SECONDS);
  }

  public Set<String> acknowledged() {
    return Set.copyOf(acknowledged);
  }

  /**
   * The event id of each credit and debit in {@code feed} by its transaction id, checking that each
   * is of a request the clients sent, of the kind sent, and the only event of that request.
   */
  public Map<String, String> eventsByTransaction(List<JsonNode> feed) {
    Map<String, String> eventOf = new HashMap<>();
    for (JsonNode e : feed) {
      String type = e.get("type").asText();
      if (!type.equals("credit.credited") && !type.equals("credit.debited")) {
        continue;
      }
      String tx = e.get("data").get("transactionId").asText();
      assertThat(sent).as("an event of a change nobody asked for").contains(tx);
      assertThat(type)
          .as("the kind of " + tx)
          .isEqualTo(tx.startsWith("d-") ? "credit.debited" : "credit.credited");
      assertThat(eventOf.put(tx, e.get("id").asText())).as("a second event of " + tx).isNull();
    }
    return eventOf;
  }

  /** Registers {@code url} for every event type; answers its secret. */
  public static String registerWebhook(HttpApi api, String url) throws Exception {
    Reply made = api.send("POST", "/api/webhooks", api.admin(), "{\"url\":\"" + url + "\"}");
    assertThat(made.status()).isEqualTo(201);
    return made.body().get("secret").asText();
  }

  /** The event ids {@code receiver} got with a valid signature and a body of that same event. */
  public static Set<String> validlySigned(WebhookReceiver receiver, String secret) {
    Set<String> ids = new HashSet<>();
    for (WebhookReceiver.Received r : receiver.received()) {
      if (r.signedWith(secret) && r.id().equals(r.event().get("id").asText())) {
        ids.add(r.id());
      }
    }
    return ids;
  }
}
