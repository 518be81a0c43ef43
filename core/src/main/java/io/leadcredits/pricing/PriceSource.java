package io.leadcredits.pricing;

/**
 * Where a lead reads what prices a claim at the moment it takes its slot: the list in force and a
 * tradie's tier. Read synchronously on the claim's path, so an implementation answers from memory.
 */
public interface PriceSource {

  PricesInForce prices();

  /** The tradie's tier, or null for none. */
  String tierOf(String tradieId);

  /** No list and no tiers: every lead is priced at its own cost. */
  PriceSource NONE =
      new PriceSource() {
        @Override
        public PricesInForce prices() {
          return PricesInForce.NONE;
        }

        @Override
        public String tierOf(String tradieId) {
          return null;
        }
      };
}
