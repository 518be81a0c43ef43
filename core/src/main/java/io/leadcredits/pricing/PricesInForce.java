package io.leadcredits.pricing;

/**
 * The price list in force and its version (1, 2, …), or {@link #NONE} (version 0) before any list
 * was set: then only a lead with its own cost can be priced, at exactly that cost.
 */
public record PricesInForce(long version, PriceList list) {
  public static final PricesInForce NONE = new PricesInForce(0, null);

  public boolean any() {
    return list != null;
  }
}
