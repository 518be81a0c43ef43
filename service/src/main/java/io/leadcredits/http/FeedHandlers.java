package io.leadcredits.http;

import io.leadcredits.auth.Jwt;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.feed.EventJson;
import io.leadcredits.feed.FeedEvent;
import io.leadcredits.feed.FeedPage;
import java.time.Duration;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * The event feed (admin): every change the ledger made, oldest first, resumable from any cursor it
 * handed out. Its method and path are in {@link Endpoints}.
 */
final class FeedHandlers extends ApiDirectives {
  /** What a waiting read may take beyond its wait, to be answered by the feed and not cut off. */
  private static final Duration answerMargin = Duration.ofSeconds(10);

  private final CreditEngine engine;

  FeedHandlers(CreditEngine engine, Jwt jwt) {
    super(jwt);
    this.engine = engine;
  }

  Route events() {
    return authenticated(
        principal ->
            adminOnly(
                principal,
                () ->
                    parameterOptional(
                        "after",
                        after ->
                            parameterOptional(
                                "limit",
                                limit ->
                                    parameterList(
                                        "type",
                                        types ->
                                            parameterOptional(
                                                "wait",
                                                wait ->
                                                    parsed(
                                                        () ->
                                                            Requests.feedQuery(
                                                                after.orElse(null),
                                                                limit.orElse(null),
                                                                types,
                                                                wait.orElse(null)),
                                                        this::read)))))));
  }

  private Route read(Requests.FeedQuery query) {
    return withRequestTimeout(
        scala.concurrent.duration.Duration.fromNanos(query.waitMax().plus(answerMargin).toNanos()),
        () ->
            reply(
                () -> engine.events(query.after(), query.limit(), query.types(), query.waitMax()),
                page -> Replies.ok(page(page))));
  }

  /** {@code {"items":[event…],"next"}}. */
  private static com.fasterxml.jackson.databind.node.ObjectNode page(FeedPage page) {
    var node = Json.object();
    var items = node.putArray("items");
    for (FeedEvent e : page.items()) {
      items.add(EventJson.of(e));
    }
    node.put("next", page.next().encode());
    return node;
  }
}
