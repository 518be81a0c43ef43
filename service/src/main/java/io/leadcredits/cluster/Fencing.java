package io.leadcredits.cluster;

import com.typesafe.config.Config;
import io.leadcredits.ClusterSettings;
import java.time.Duration;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;

/**
 * The node's {@link PauseFence}, shared by the journal (which asks it before every write) and the
 * readiness probe. Only a clustered node is fenced: a single node has nobody to be replaced by. The
 * fence's threshold is the resolver's {@code stable-after}, the least time in which the others
 * could have downed this node and started its entities elsewhere.
 */
public final class Fencing implements Extension {

  /** Why a fenced node shuts down; it exits with a failure status (cluster.conf). */
  public enum Paused implements CoordinatedShutdown.Reason {
    INSTANCE
  }

  private static final Id ID = new Id();

  private final PauseFence fence; // null: not clustered, never fenced

  private Fencing(PauseFence fence) {
    this.fence = fence;
  }

  public static Fencing get(ActorSystem system) {
    return ID.get(system);
  }

  /** Whether this node may write to the journal now. */
  public boolean mayWrite() {
    return fence == null || fence.mayWrite();
  }

  /** Whether this node noticed it was paused long enough to have been replaced. */
  public boolean fenced() {
    return fence != null && fence.fenced();
  }

  static final class Id extends AbstractExtensionId<Fencing> {
    @Override
    public Fencing createExtension(ExtendedActorSystem system) {
      Config config = system.settings().config();
      if (!ClusterSettings.clustered(config)) {
        return new Fencing(null);
      }
      Duration threshold = config.getDuration("pekko.cluster.split-brain-resolver.stable-after");
      PauseFence fence =
          PauseFence.start(
              threshold,
              () -> {
                system
                    .log()
                    .error(
                        "this node was stopped for {} s or more and may have been replaced:"
                            + " journal writes refused, shutting down",
                        threshold.toSeconds());
                CoordinatedShutdown.get(system).run(Paused.INSTANCE);
              });
      system.registerOnTermination(fence::stop);
      return new Fencing(fence);
    }
  }
}
