package io.leadcredits.persistence;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * Run in a separate JVM by DatabaseTest: starts the embedded database on a data directory, writes a
 * row, says "ready" and waits to be killed, leaving its PostgreSQL behind as a crash would.
 */
public final class DatabaseChild {
  private DatabaseChild() {}

  public static void main(String[] args) throws Exception {
    Database db = Database.start(TestDatabases.embeddedIn(Path.of(args[0])));
    try (Connection c = db.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO wakeups VALUES ('account', 'before-crash', now())");
    }
    System.out.println("ready");
    System.out.flush();
    System.in.read(); // blocks until the test kills this JVM
  }
}
