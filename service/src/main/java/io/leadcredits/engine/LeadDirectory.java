package io.leadcredits.engine;

import io.leadcredits.lead.LeadStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Which leads the actor engine has, newest first, and how many are in each status at an instant.
 * Lead entities know only themselves; this reads what they stored, so listing leads wakes none.
 */
public interface LeadDirectory {

  /**
   * The ids of the newest leads in {@code status} (any status when null), at most {@code limit},
   * and the count of every lead by its status at {@code now}.
   */
  CompletionStage<Listing> newest(LeadStatus status, int limit, Instant now);

  record Listing(Map<LeadStatus, Long> counts, List<String> leadIds) {
    public Listing {
      counts = Map.copyOf(counts);
      leadIds = List.copyOf(leadIds);
    }
  }
}
