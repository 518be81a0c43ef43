package io.leadcredits.webhook;

import io.leadcredits.feed.TypeFilter;
import java.util.List;

/**
 * An enabled endpoint as the dispatcher sends to it: where, with which secret, which types, and
 * whether it is owed retries ({@code backlog}): such an endpoint failed lately, so the dispatcher
 * does not try it itself (a slow one would hold up every endpoint's page) but leaves its events to
 * the deliverer.
 */
public record Route(
    String endpointId, String url, String secret, List<String> types, boolean backlog) {
  public Route {
    types = List.copyOf(types);
  }

  public boolean accepts(String type) {
    return new TypeFilter(types).accepts(type);
  }
}
