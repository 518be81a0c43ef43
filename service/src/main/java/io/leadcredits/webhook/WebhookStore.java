package io.leadcredits.webhook;

import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.SinkLock;
import io.leadcredits.sink.DeliveryResult;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where endpoints and their deliveries are kept ({@code V12__webhooks.sql}). Every method blocks on
 * the database; callers run it on a thread meant for that.
 */
public interface WebhookStore {

  /** Stores a new endpoint with its secret; false when there are already as many as allowed. */
  boolean create(WebhookEndpoint endpoint, String secret) throws SQLException;

  /** Every endpoint not deleted, oldest first. */
  List<WebhookEndpoint> list() throws SQLException;

  Optional<WebhookEndpoint> find(String id) throws SQLException;

  /**
   * Deletes the endpoint and its pending deliveries, in one transaction: nothing more goes to it,
   * and nothing is left owed to it. False when there is none to delete.
   */
  boolean delete(String id) throws SQLException;

  /**
   * Enables the endpoint again (after a 410 disabled it, say): its pending deliveries go out again,
   * and it gets the events dispatched from now on. The endpoint as it is now, or empty when there
   * is no such endpoint.
   */
  Optional<WebhookEndpoint> enable(String id) throws SQLException;

  /** Replaces the endpoint's secret. False when there is no such endpoint. */
  boolean rotateSecret(String id, String secret) throws SQLException;

  /** The endpoint's newest deliveries, at most {@code limit}. */
  List<Delivery> deliveries(String endpointId, int limit) throws SQLException;

  /** Whether any endpoint is enabled: without one, the dispatcher reads no event. */
  boolean anyEnabled() throws SQLException;

  /** Where the dispatcher of {@code sink} got to. */
  FeedCursor cursor(String sink) throws SQLException;

  /**
   * The enabled endpoints as the dispatcher sends to them, each with whether it is owed a pending
   * delivery (then the dispatcher leaves its events to the deliverer).
   */
  List<Route> routes() throws SQLException;

  /**
   * Hands on what the dispatcher's first attempts came to, in one transaction on the connection of
   * {@code sink}'s lock (so a node that lost its lock writes nothing): writes {@code rows} (those
   * of endpoints deleted meanwhile are dropped; a {@code gone} one disables its endpoint) and moves
   * the cursor to {@code next}. Answers the rows written.
   */
  int handOn(SinkLock lock, String sink, List<NewDelivery> rows, FeedCursor next)
      throws SQLException;

  /**
   * Takes at most {@code limit} due pending deliveries of enabled endpoints for this node and moves
   * their due time to {@code now + lease}: no other deliverer takes them while this one tries, and
   * if this node dies they come due again when the lease ends.
   */
  List<Attempt> lease(int limit, Instant now, Duration lease) throws SQLException;

  /**
   * Records the outcomes of attempts, in one transaction. A {@link DeliveryResult#GONE} also
   * disables its endpoint. Written by a deliverer that batches what it learns, so a busy endpoint
   * costs a commit per batch, not per POST.
   */
  void record(List<Outcome> outcomes) throws SQLException;
}
