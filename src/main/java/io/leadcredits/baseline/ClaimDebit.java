package io.leadcredits.baseline;

import io.leadcredits.account.Fingerprints;
import java.util.Map;

/**
 * The debit that pays for a claim, as the actor's claim process sends it: the claim id is its
 * transaction id, so the claim is paid at most once, and the metadata names the lead, which the
 * invariant checker uses to tie the debit to its claim.
 */
final class ClaimDebit {
  private ClaimDebit() {}

  static Map<String, String> metadata(String leadId, String claimId) {
    return Map.of("leadId", leadId, "claimId", claimId, "reason", "lead claim");
  }

  static String fingerprint(long creditCost, String leadId, String claimId) {
    return Fingerprints.debit(creditCost, metadata(leadId, claimId));
  }

  /**
   * The fingerprint with the cost left out: the SQL engine learns the cost inside bl_claim and puts
   * it in front there, giving exactly {@link #fingerprint}.
   */
  static String fingerprintAfterCost(String leadId, String claimId) {
    String full = fingerprint(0, leadId, claimId);
    return full.substring("DEBIT|0".length());
  }
}
