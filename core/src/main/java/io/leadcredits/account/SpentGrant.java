package io.leadcredits.account;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What a debit took from one grant, with that grant's terms as its top-up granted them ({@code
 * null}: not known, as for the legacy grant, whose terms are the defaults). A refund gives credit
 * back to the grants a claim's debit spent; the terms let it bring back a grant that was wholly
 * spent since, and tell one that has expired.
 */
public record SpentGrant(
    String grantId, long amount, @JsonInclude(JsonInclude.Include.NON_NULL) GrantTerms terms) {}
