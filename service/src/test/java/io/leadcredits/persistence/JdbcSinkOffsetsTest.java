package io.leadcredits.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.leadcredits.feed.FeedCursor;
import io.leadcredits.feed.JdbcSinkOffsets;
import java.nio.file.Path;
import java.sql.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdbcSinkOffsetsTest {
  @TempDir static Path dataDir;
  private static Database db;

  @BeforeAll
  static void start() {
    db = Database.start(TestDatabases.embeddedIn(dataDir));
  }

  @AfterAll
  static void stop() {
    db.close();
  }

  @Test
  void aSinkResumesWhereItsLastCommittedCursorIs() throws Exception {
    JdbcSinkOffsets offsets = new JdbcSinkOffsets(db.dataSource());
    assertThat(offsets.load("kafka")).isEqualTo(FeedCursor.START);
    offsets.save("kafka", new FeedCursor(5, 6, 0));
    offsets.save("kafka", new FeedCursor(7, 8, 1));
    assertThat(offsets.load("kafka")).isEqualTo(new FeedCursor(7, 8, 1));
    try (Connection c = db.dataSource().getConnection()) {
      c.setAutoCommit(false);
      JdbcSinkOffsets.save(c, "webhooks", new FeedCursor(9, 9, 0));
      c.rollback(); // the work it went with was not stored: neither is the cursor
    }
    assertThat(offsets.load("webhooks")).isEqualTo(FeedCursor.START);
    assertThat(offsets.load("kafka")).isEqualTo(new FeedCursor(7, 8, 1));
  }
}
