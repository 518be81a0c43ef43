package io.leadcredits.lead;

import io.leadcredits.Rejection;
import java.util.List;

/**
 * What {@link LeadRules} decides for one command: the events to persist with what the reply needs,
 * or a refusal that changes nothing. Each kind of command has its own narrower type, so the actor
 * shell handles exactly the outcomes its command can have.
 */
public sealed interface LeadDecision {

  /** On the lead itself: create, read, close. */
  sealed interface OnLead extends LeadDecision {}

  /**
   * Persist {@code events}, then answer with the lead they leave. None for a read, or for a repeat
   * of a create or close that was already applied ({@code replayed}).
   */
  record Accept(List<LeadEvent> events, boolean replayed) implements OnLead {
    public Accept {
      events = List.copyOf(events);
    }
  }

  /** Refused, and nothing changes. */
  record Reject(Rejection rejection, String detail) implements OnLead {}
}
