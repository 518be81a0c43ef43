package io.leadcredits.persistence;

import com.typesafe.config.Config;
import io.leadcredits.cluster.Fencing;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.jdbc.journal.JdbcAsyncWriteJournal;
import scala.collection.immutable.Seq;
import scala.concurrent.Future;
import scala.concurrent.Future$;
import scala.runtime.BoxedUnit;
import scala.util.Try;

/**
 * The JDBC journal, refusing writes while this node is fenced ({@link Fencing}): a node that was
 * paused long enough to have been downed writes nothing more, even before it learns that it was. A
 * refused write fails the entity's persist, so its caller gets a 503 and retries elsewhere.
 */
public final class FencedJournal extends JdbcAsyncWriteJournal {
  private final Fencing fencing;

  public FencedJournal(Config config) {
    super(config);
    this.fencing = Fencing.get(context().system());
  }

  @Override
  public Future<Seq<Try<BoxedUnit>>> asyncWriteMessages(Seq<AtomicWrite> messages) {
    if (!fencing.mayWrite()) {
      return Future$.MODULE$.failed(new FencedException());
    }
    return super.asyncWriteMessages(messages);
  }

  /** A write refused because this node may have been replaced by another. */
  public static final class FencedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    FencedException() {
      super("journal write refused: this node was paused long enough to have been replaced");
    }
  }
}
