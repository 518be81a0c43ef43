package io.leadcredits.claim;

import io.leadcredits.account.Fingerprints;
import java.util.Map;

/**
 * The debit that pays for a claim, defined once for every engine: its transaction id is the claim
 * id, so the claim is paid at most once, and its metadata names the lead and the claim, which the
 * invariant checker uses to tie the debit to its claim. The metadata is part of the debit's
 * fingerprint, so an engine that built it otherwise would see a retried claim as a conflict. The
 * sql baseline builds the same values inside the database ({@code bl_claim_metadata}, {@code
 * bl_claim_fingerprint}), pinned to these by a test.
 */
public final class ClaimDebit {
  private static final String LEAD_ID = "leadId";

  private ClaimDebit() {}

  public static Map<String, String> metadata(String leadId, String claimId) {
    return Map.of(LEAD_ID, leadId, "claimId", claimId, "reason", "lead claim");
  }

  /** The lead a claim debit's metadata names; empty for any other metadata. */
  public static String leadOf(Map<String, String> metadata) {
    return metadata.getOrDefault(LEAD_ID, "");
  }

  /** What the account remembers of the claim's debit to recognise a repeat. */
  public static String fingerprint(long creditCost, String leadId, String claimId) {
    return Fingerprints.debit(creditCost, metadata(leadId, claimId));
  }
}
