package io.leadcredits.engine;

import io.leadcredits.lead.LeadStatus;
import io.leadcredits.lead.LeadView;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The newest leads (in one status, or any) and how many leads there are in each status. Every
 * status has a count, zero included, so a reader never has to guess what a missing one means.
 */
public record LeadList(Map<LeadStatus, Long> counts, List<LeadView> items) {

  public LeadList {
    Map<LeadStatus, Long> all = new EnumMap<>(LeadStatus.class);
    for (LeadStatus status : LeadStatus.values()) {
      all.put(status, counts.getOrDefault(status, 0L));
    }
    counts = Map.copyOf(all);
    items = List.copyOf(items);
  }
}
