package io.leadcredits.engine;

import java.util.List;
import java.util.Map;

/**
 * The cluster as one node sees it: every member with its status and what it hosts, for operators
 * ({@code GET /api/cluster}). Shard and entity counts are per entity type ({@code account}, {@code
 * lead}); a member whose region did not answer in time has none listed and is named in {@code
 * statsMissing}.
 */
public record ClusterView(
    String self, String leader, List<Member> members, List<String> statsMissing) {

  public ClusterView {
    members = List.copyOf(members);
    statsMissing = List.copyOf(statsMissing);
  }

  /** One member: its address, membership status, roles, reachability and what it hosts. */
  public record Member(
      String address,
      String status,
      List<String> roles,
      boolean reachable,
      Map<String, Hosted> hosted) {

    public Member {
      roles = List.copyOf(roles);
      hosted = Map.copyOf(hosted);
    }
  }

  /** Shards of one entity type on one member, and the entities alive in them. */
  public record Hosted(int shards, long entities) {}
}
