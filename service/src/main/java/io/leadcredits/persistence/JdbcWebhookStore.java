package io.leadcredits.persistence;

import io.leadcredits.Limits;
import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.JdbcSinkOffsets;
import io.leadcredits.feed.SinkLock;
import io.leadcredits.sink.DeliveryResult;
import io.leadcredits.webhook.Attempt;
import io.leadcredits.webhook.Delivery;
import io.leadcredits.webhook.NewDelivery;
import io.leadcredits.webhook.Outcome;
import io.leadcredits.webhook.RetryPolicy;
import io.leadcredits.webhook.Route;
import io.leadcredits.webhook.WebhookEndpoint;
import io.leadcredits.webhook.WebhookStore;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The webhook tables in PostgreSQL. Dispatching writes the deliveries of a page of events and the
 * sink's cursor in one transaction, under a lock on the cursor's row, so two nodes dispatching at
 * once cannot both hand on the same page and a crash cannot lose or repeat one. Deliverers take due
 * rows with {@code FOR UPDATE SKIP LOCKED} and lease them by moving their due time, so any number
 * of nodes deliver side by side without sending a delivery twice at once.
 */
public final class JdbcWebhookStore implements WebhookStore {
  private static final String ANY_ENABLED =
      "SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE status = 'ENABLED' AND NOT deleted)";
  private static final String COLUMNS = "id, url, types, description, status, created_at";
  private static final String CREATE =
      "INSERT INTO webhook_endpoints (id, url, types, description, status, secret, created_at)"
          + " SELECT ?, ?, ?, ?, 'ENABLED', ?, ?"
          + " WHERE (SELECT count(*) FROM webhook_endpoints WHERE NOT deleted) < ?";
  private static final String LIST =
      "SELECT " + COLUMNS + " FROM webhook_endpoints WHERE NOT deleted ORDER BY created_at, id";
  private static final String FIND =
      "SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = ? AND NOT deleted";
  private static final String DELETE =
      "UPDATE webhook_endpoints SET deleted = true WHERE id = ? AND NOT deleted";

  /** What a deleted endpoint was still owed: never sent now, so not kept. */
  private static final String DELETE_PENDING =
      "DELETE FROM webhook_deliveries WHERE endpoint_id = ? AND status = 'PENDING'";

  private static final String ENABLE =
      "UPDATE webhook_endpoints SET status = 'ENABLED' WHERE id = ? AND NOT deleted";
  private static final String ROTATE =
      "UPDATE webhook_endpoints SET secret = ? WHERE id = ? AND NOT deleted";
  private static final String DELIVERIES =
      "SELECT event_id, type, status, attempts, last_status_code, last_attempt_at,"
          + " next_attempt_at FROM webhook_deliveries WHERE endpoint_id = ?"
          + " ORDER BY id DESC LIMIT ?";

  /**
   * The enabled endpoints, and whether each is owed a pending delivery (the partial index of
   * V14__webhook_pending_by_endpoint.sql answers that without reading its history).
   */
  private static final String ROUTES =
      "SELECT e.id, e.url, e.secret, e.types, EXISTS (SELECT 1 FROM webhook_deliveries d"
          + " WHERE d.endpoint_id = e.id AND d.status = 'PENDING')"
          + " FROM webhook_endpoints e WHERE e.status = 'ENABLED' AND NOT e.deleted";

  private static final String ALIVE =
      "SELECT id FROM webhook_endpoints WHERE id = ANY (?) AND NOT deleted FOR SHARE";

  private static final String INSERT_ROW =
      "INSERT INTO webhook_deliveries (endpoint_id, event_id, event_json, type, status, attempts,"
          + " last_status_code, last_attempt_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (endpoint_id, event_id) DO NOTHING";

  private static final String LEASE =
      "UPDATE webhook_deliveries d SET next_attempt_at = ? FROM webhook_endpoints e"
          + " WHERE e.id = d.endpoint_id AND d.id IN ("
          + "SELECT p.id FROM webhook_deliveries p JOIN webhook_endpoints q ON q.id = p.endpoint_id"
          + " WHERE p.status = 'PENDING' AND p.next_attempt_at <= ?"
          + " AND q.status = 'ENABLED' AND NOT q.deleted"
          + " ORDER BY p.next_attempt_at LIMIT ? FOR UPDATE OF p SKIP LOCKED)"
          + " RETURNING d.id, d.endpoint_id, e.url, e.secret, d.event_id, d.event_json,"
          + " d.attempts, d.created_at";
  private static final String RECORD =
      "UPDATE webhook_deliveries SET status = ?, attempts = attempts + 1, last_status_code = ?,"
          + " last_attempt_at = ?, next_attempt_at = COALESCE(?, next_attempt_at) WHERE id = ?";
  private static final String DISABLE =
      "UPDATE webhook_endpoints SET status = 'DISABLED' WHERE id = ?";

  private final DataSource dataSource;

  public JdbcWebhookStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public boolean create(WebhookEndpoint e, String secret) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(CREATE)) {
      s.setString(1, e.id());
      s.setString(2, e.url());
      s.setArray(3, c.createArrayOf("text", e.types().toArray()));
      s.setString(4, e.description());
      s.setString(5, secret);
      s.setTimestamp(6, Timestamp.from(e.createdAt()));
      s.setInt(7, Limits.webhookEndpointsMax);
      return s.executeUpdate() == 1;
    }
  }

  @Override
  public List<WebhookEndpoint> list() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(LIST);
        ResultSet rs = s.executeQuery()) {
      List<WebhookEndpoint> all = new ArrayList<>();
      while (rs.next()) {
        all.add(endpoint(rs));
      }
      return all;
    }
  }

  @Override
  public Optional<WebhookEndpoint> find(String id) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(FIND)) {
      s.setString(1, id);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(endpoint(rs)) : Optional.empty();
      }
    }
  }

  @Override
  public boolean delete(String id) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        boolean deleted;
        try (PreparedStatement s = c.prepareStatement(DELETE)) {
          s.setString(1, id);
          deleted = s.executeUpdate() == 1;
        }
        if (deleted) {
          try (PreparedStatement s = c.prepareStatement(DELETE_PENDING)) {
            s.setString(1, id);
            s.executeUpdate();
          }
        }
        c.commit();
        return deleted;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  @Override
  public Optional<WebhookEndpoint> enable(String id) throws SQLException {
    return update(ENABLE, id) ? find(id) : Optional.empty();
  }

  @Override
  public boolean rotateSecret(String id, String secret) throws SQLException {
    return update(ROTATE, secret, id);
  }

  @Override
  public List<Delivery> deliveries(String endpointId, int limit) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(DELIVERIES)) {
      s.setString(1, endpointId);
      s.setInt(2, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<Delivery> all = new ArrayList<>();
        while (rs.next()) {
          Delivery.Status status = Delivery.Status.valueOf(rs.getString(3));
          int code = rs.getInt(5);
          Integer lastStatusCode = rs.wasNull() ? null : code;
          all.add(
              new Delivery(
                  rs.getString(1),
                  rs.getString(2),
                  status,
                  rs.getInt(4),
                  lastStatusCode,
                  instant(rs.getTimestamp(6)),
                  status == Delivery.Status.PENDING ? instant(rs.getTimestamp(7)) : null));
        }
        return all;
      }
    }
  }

  @Override
  public FeedCursor cursor(String sink) throws SQLException {
    return new JdbcSinkOffsets(dataSource).load(sink);
  }

  @Override
  public List<Route> routes() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(ROUTES);
        ResultSet rs = s.executeQuery()) {
      List<Route> routes = new ArrayList<>();
      while (rs.next()) {
        routes.add(
            new Route(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                types(rs.getArray(4)),
                rs.getBoolean(5)));
      }
      return List.copyOf(routes);
    }
  }

  @Override
  public int handOn(SinkLock lock, String sink, List<NewDelivery> rows, FeedCursor next)
      throws SQLException {
    return lock.inTransaction(
        c -> {
          relaxCommit(c);
          int made = rows.isEmpty() ? 0 : writeRows(c, rows);
          JdbcSinkOffsets.save(c, sink, next);
          return made;
        });
  }

  /**
   * The dispatcher's rows, but none for an endpoint deleted meanwhile; the endpoints are locked for
   * share: a delete waits for these rows and then deletes them, and one committed already is seen
   * here and gets none. A 410's row disables its endpoint.
   */
  private static int writeRows(Connection c, List<NewDelivery> rows) throws SQLException {
    List<String> alive = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(ALIVE)) {
      s.setArray(
          1,
          c.createArrayOf("text", rows.stream().map(NewDelivery::endpointId).distinct().toArray()));
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          alive.add(rs.getString(1));
        }
      }
    }
    int made = 0;
    List<String> gone = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(INSERT_ROW)) {
      for (NewDelivery d : rows) {
        if (!alive.contains(d.endpointId())) {
          continue;
        }
        s.setString(1, d.endpointId());
        s.setString(2, d.event().id());
        s.setBytes(3, d.body());
        s.setString(4, d.event().type());
        s.setString(5, d.status().name());
        s.setInt(6, d.attempts());
        if (d.lastStatusCode() == null) {
          s.setNull(7, Types.INTEGER);
        } else {
          s.setInt(7, d.lastStatusCode());
        }
        s.setTimestamp(8, d.lastAttemptAt() == null ? null : Timestamp.from(d.lastAttemptAt()));
        s.setTimestamp(9, Timestamp.from(d.nextAttemptAt()));
        s.addBatch();
        made++;
        if (d.gone()) {
          gone.add(d.endpointId());
        }
      }
      if (made > 0) {
        s.executeBatch();
      }
    }
    if (!gone.isEmpty()) {
      try (PreparedStatement s = c.prepareStatement(DISABLE)) {
        for (String id : gone) {
          s.setString(1, id);
          s.addBatch();
        }
        s.executeBatch();
      }
    }
    return made;
  }

  @Override
  public boolean anyEnabled() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(ANY_ENABLED);
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  @Override
  public List<Attempt> lease(int limit, Instant now, Duration lease) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        relaxCommit(c);
        List<Attempt> all = leaseIn(c, limit, now, lease);
        c.commit();
        return all;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  private static List<Attempt> leaseIn(Connection c, int limit, Instant now, Duration lease)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(LEASE)) {
      s.setTimestamp(1, Timestamp.from(now.plus(lease)));
      s.setTimestamp(2, Timestamp.from(now));
      s.setInt(3, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<Attempt> all = new ArrayList<>();
        while (rs.next()) {
          all.add(
              new Attempt(
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getString(5),
                  rs.getBytes(6),
                  rs.getInt(7),
                  rs.getTimestamp(8).toInstant()));
        }
        return all;
      }
    }
  }

  @Override
  public void record(List<Outcome> outcomes) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        relaxCommit(c);
        try (PreparedStatement s = c.prepareStatement(RECORD)) {
          for (Outcome o : outcomes) {
            s.setString(1, deliveryStatus(o.result()).name());
            if (o.status() == RetryPolicy.NO_ANSWER) {
              s.setNull(2, Types.INTEGER);
            } else {
              s.setInt(2, o.status());
            }
            s.setTimestamp(3, Timestamp.from(o.at()));
            s.setTimestamp(4, o.next() == null ? null : Timestamp.from(o.next()));
            s.setLong(5, o.attempt().deliveryId());
            s.addBatch();
          }
          s.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement(DISABLE)) {
          boolean any = false;
          for (Outcome o : outcomes) {
            if (o.result() == DeliveryResult.GONE) {
              s.setString(1, o.attempt().endpointId());
              s.addBatch();
              any = true;
            }
          }
          if (any) {
            s.executeBatch();
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    }
  }

  /**
   * The transaction's commit returns before its WAL record is flushed to disk. Only a database
   * crash can lose such a commit, and losing one of a delivery's records (its hand-on with the
   * cursor, its lease, its outcome) only makes it be sent again: delivery is at-least-once and
   * receivers deduplicate by event id. Nothing of the ledger is written this way.
   */
  private static void relaxCommit(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET LOCAL synchronous_commit TO OFF");
    }
  }

  private static Delivery.Status deliveryStatus(DeliveryResult result) {
    return switch (result) {
      case DELIVERED -> Delivery.Status.DELIVERED;
      case RETRYING -> Delivery.Status.PENDING;
      case GIVEN_UP, GONE -> Delivery.Status.FAILED;
    };
  }

  private boolean update(String sql, String... parameters) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setString(i + 1, parameters[i]);
      }
      return s.executeUpdate() == 1;
    }
  }

  private static WebhookEndpoint endpoint(ResultSet rs) throws SQLException {
    return new WebhookEndpoint(
        rs.getString(1),
        rs.getString(2),
        types(rs.getArray(3)),
        rs.getString(4),
        WebhookEndpoint.Status.valueOf(rs.getString(5)),
        rs.getTimestamp(6).toInstant());
  }

  private static List<String> types(Array array) throws SQLException {
    return Arrays.asList((String[]) array.getArray());
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }
}
