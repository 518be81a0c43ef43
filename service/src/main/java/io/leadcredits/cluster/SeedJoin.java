package io.leadcredits.cluster;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.JoinSeedNodes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins the fixed seed list without ever forming a second cluster next to a running one.
 *
 * <p>Why: Pekko lets the first node of the seed list form a new cluster when no other seed answers
 * within {@code seed-node-timeout}. That is how a fresh cluster starts, but a restarted first seed
 * whose peers are slow to answer (a busy machine, a GC pause) forms an island of one, and both
 * sides then run entities on the one journal. The seeds cannot tell "nobody is up" from "nobody
 * answered yet"; the shared database can: every Up member holds the member lock ({@link Witness}),
 * and PostgreSQL drops it with the member's session. So the first seed asks the database before it
 * may form: while others hold the lock it joins with itself left out of the list, which makes Pekko
 * only ever join a running node (retrying until one answers), never form. Until this node is Up it
 * asks again every {@link #recheckInterval}: once no other holder remains (the old cluster is
 * gone), it joins with itself first again and may form. Pekko allows that: a new JoinSeedNodes
 * replaces the join in progress until the node is a member.
 *
 * <p>The service joins here rather than through {@code pekko.cluster.seed-nodes}, which Pekko would
 * join on its own before this check could run.
 */
public final class SeedJoin {
  private static final Logger log = LoggerFactory.getLogger(SeedJoin.class);

  /** How often a node not yet Up asks the database again whether a cluster is running. */
  static final Duration recheckInterval = Duration.ofSeconds(2);

  /** What the shared database knows about live cluster members. */
  public interface Witness {
    /** Whether a live member of a cluster (another node) holds the member lock. */
    boolean othersAreMembers() throws Exception;

    /** This node is Up: hold the member lock for as long as it runs. */
    void holdMemberLock() throws Exception;
  }

  private SeedJoin() {}

  /**
   * Joins {@code seeds} (the same list on every node); {@code blocking} runs the database calls.
   */
  public static void start(
      ActorSystem<?> system, List<Address> seeds, Witness witness, Executor blocking) {
    Cluster cluster = Cluster.get(system);
    Address self = cluster.selfMember().address();
    org.apache.pekko.cluster.Cluster classic =
        org.apache.pekko.cluster.Cluster.get(Adapter.toClassic(system));
    classic.registerOnMemberUp(
        () ->
            blocking.execute(
                () -> {
                  try {
                    witness.holdMemberLock();
                  } catch (Exception e) {
                    log.error("could not take the cluster member lock: {}", e.toString());
                  }
                }));
    if (seeds.isEmpty() || !seeds.get(0).equals(self) || seeds.size() == 1) {
      // Only the first seed node ever forms a cluster; the others just join (Pekko retries).
      cluster.manager().tell(new JoinSeedNodes(seeds));
      return;
    }
    FirstSeed first = new FirstSeed(cluster, classic, seeds, witness);
    blocking.execute(first::decide);
    first.recheck =
        system
            .scheduler()
            .scheduleWithFixedDelay(
                recheckInterval,
                recheckInterval,
                () -> blocking.execute(first::decide),
                system.executionContext());
  }

  /** The first seed node until it is a member: joins, or forms, as the database says. */
  private static final class FirstSeed {
    private final Cluster cluster;
    private final org.apache.pekko.cluster.Cluster classic;
    private final List<Address> seeds;
    private final List<Address> others;
    private final Witness witness;
    private List<Address> joining; // the list last given to Pekko; null before the first
    private boolean member;
    volatile Cancellable recheck;

    FirstSeed(
        Cluster cluster,
        org.apache.pekko.cluster.Cluster classic,
        List<Address> seeds,
        Witness witness) {
      this.cluster = cluster;
      this.classic = classic;
      this.seeds = List.copyOf(seeds);
      this.others = List.copyOf(seeds.subList(1, seeds.size()));
      this.witness = witness;
    }

    synchronized void decide() {
      // Before it joins, Pekko shows this node as Removed; any other status means it is a member
      // now (Joining or later), and Pekko ignores further joins.
      member = member || classic.selfMember().status() != MemberStatus.removed();
      if (member) {
        Cancellable c = recheck;
        if (c != null) {
          c.cancel();
        }
        return;
      }
      boolean running;
      try {
        running = witness.othersAreMembers();
      } catch (Exception e) {
        // Unknown counts as running: joining a cluster never harms, forming one might.
        log.warn("cannot ask the database whether a cluster is running: {}", e.toString());
        running = true;
      }
      List<Address> list = running ? others : seeds;
      if (list.equals(joining)) {
        return;
      }
      joining = list;
      if (running) {
        log.warn(
            "members of a running cluster hold the member lock; joining it rather than forming a"
                + " new one: seed nodes {} without this node",
            others);
      } else {
        log.info(
            "no member of a running cluster holds the member lock; joining seed nodes {}, this"
                + " node first, so it forms the cluster if no other seed answers",
            seeds);
      }
      cluster.manager().tell(new JoinSeedNodes(list));
    }
  }
}
