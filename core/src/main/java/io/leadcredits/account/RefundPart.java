package io.leadcredits.account;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a refund gives back to one grant. {@code terms} null: onto the grant, live at the time;
 * otherwise the grant is made (again) with these terms and the amount as its whole: a grant the
 * claim spent wholly, brought back with its own terms, or the refund's own promotional grant (its
 * id is the refund's transaction id) for what came from grants that have ended since.
 */
public record RefundPart(
    String grantId, long amount, @JsonInclude(JsonInclude.Include.NON_NULL) GrantTerms terms) {}
