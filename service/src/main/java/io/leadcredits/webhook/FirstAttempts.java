package io.leadcredits.webhook;

import io.leadcredits.WebhookSettings;
import io.leadcredits.feed.EventJson;
import io.leadcredits.feed.FeedEvent;
import io.leadcredits.webhook.Poster.Answer;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's own first attempts of a part of the feed: each event at each endpoint that
 * accepts it, answering a row for every (event, endpoint) once every attempt is answered (within
 * the attempt timeout).
 */
final class FirstAttempts {
  /** The body kept for a delivery that is over: it is never sent again. */
  private static final byte[] NO_BODY = new byte[0];

  private static final Logger log = LoggerFactory.getLogger(FirstAttempts.class);

  private final WebhookSettings settings;
  private final RetryPolicy policy;
  private final Poster poster;
  private final Clock clock;

  FirstAttempts(WebhookSettings settings, Poster poster, Clock clock) {
    this.settings = settings;
    this.policy = new RetryPolicy(settings);
    this.poster = poster;
    this.clock = clock;
  }

  /**
   * Tries each event at each endpoint that accepts it, has no backlog and is not in {@code
   * failing}; an endpoint with a backlog, or one that failed since (it is added to {@code failing},
   * which the parts under way share), gets a pending row, untried, for the deliverer's retries: a
   * receiver that is down or slow holds the dispatcher up by one attempt per part at most, not one
   * per event. An endpoint's events go out on lanes side by side, each lane one POST at a time, so
   * at most {@code in-flight-max} POSTs are under way for the part.
   */
  CompletableFuture<List<NewDelivery>> send(
      List<Route> routes, List<FeedEvent> events, Set<String> failing) {
    Instant now = clock.instant();
    byte[][] bodies = new byte[events.size()][];
    int tried = 0;
    for (Route r : routes) {
      tried += r.backlog() ? 0 : 1;
    }
    int lanes = Math.max(1, settings.inFlightMax() / Math.max(1, tried));
    List<NewDelivery> rows = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> underWay = new ArrayList<>();
    for (Route r : routes) {
      List<Integer> mine = new ArrayList<>();
      for (int i = 0; i < events.size(); i++) {
        if (r.accepts(events.get(i).type())) {
          mine.add(i);
          if (bodies[i] == null) {
            bodies[i] = EventJson.bytes(events.get(i));
          }
        }
      }
      if (mine.isEmpty()) {
        continue;
      }
      Optional<String> refusal =
          r.backlog() ? Optional.empty() : UrlPolicy.refusal(r.url(), settings.allowPrivate());
      if (refusal.isPresent()) {
        log.warn("webhook endpoint {} not sent to: {}", r.endpointId(), refusal.get());
      }
      for (int lane = 0; lane < Math.min(lanes, mine.size()); lane++) {
        CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
        for (int k = lane; k < mine.size(); k += lanes) {
          FeedEvent e = events.get(mine.get(k));
          byte[] body = bodies[mine.get(k)];
          chain =
              chain.thenCompose(
                  done -> {
                    if (r.backlog() || failing.contains(r.endpointId())) {
                      rows.add(untried(r, e, body, now));
                      return CompletableFuture.completedFuture(null);
                    }
                    CompletableFuture<Answer> answer =
                        refusal.isPresent()
                            ? CompletableFuture.completedFuture(Answer.NONE)
                            : poster.post(r.url(), r.secret(), e.id(), body);
                    return answer.thenAccept(
                        a -> {
                          NewDelivery d = answered(r, e, body, a, now);
                          if (d.status() != Delivery.Status.DELIVERED) {
                            failing.add(r.endpointId());
                          }
                          rows.add(d);
                        });
                  });
        }
        underWay.add(chain);
      }
    }
    return CompletableFuture.allOf(underWay.toArray(new CompletableFuture<?>[0]))
        .thenApply(done -> List.copyOf(rows));
  }

  private static NewDelivery untried(Route r, FeedEvent e, byte[] body, Instant now) {
    return new NewDelivery(
        r.endpointId(), e, body, Delivery.Status.PENDING, 0, null, null, now, false);
  }

  /** The row of a first attempt's answer; a delivered one keeps no body, it is never sent again. */
  private NewDelivery answered(Route r, FeedEvent e, byte[] body, Answer a, Instant dispatchedAt) {
    Instant at = clock.instant();
    RetryPolicy.Decision d =
        policy.decide(
            a.status(),
            RetryPolicy.retryAfter(a.retryAfter(), at),
            0,
            dispatchedAt,
            at,
            ThreadLocalRandom.current().nextDouble());
    Integer code = a.status() == RetryPolicy.NO_ANSWER ? null : a.status();
    switch (d.result()) {
      case DELIVERED:
        return new NewDelivery(
            r.endpointId(), e, NO_BODY, Delivery.Status.DELIVERED, 1, code, at, at, false);
      case RETRYING:
        return new NewDelivery(
            r.endpointId(),
            e,
            body,
            Delivery.Status.PENDING,
            1,
            code,
            at,
            d.nextAttemptAt(),
            false);
      case GONE:
        log.info("webhook endpoint {} answered 410 Gone: disabled", r.endpointId());
        return new NewDelivery(
            r.endpointId(), e, NO_BODY, Delivery.Status.FAILED, 1, code, at, at, true);
      default:
        return new NewDelivery(
            r.endpointId(), e, NO_BODY, Delivery.Status.FAILED, 1, code, at, at, false);
    }
  }
}
