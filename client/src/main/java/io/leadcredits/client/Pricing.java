package io.leadcredits.client;

import io.leadcredits.client.Transport.Call;
import io.leadcredits.client.model.PriceList;

/** The versioned price list that prices each lead for each tradie when its claim takes a slot. */
public final class Pricing {
  private final Transport transport;

  Pricing(Transport transport) {
    this.transport = transport;
  }

  /** The list in force, with its version. */
  @Route("GET /api/pricing")
  public PriceList get() {
    return transport.call(Call.read("api/pricing"), PriceList.class);
  }

  /** Puts a new list in force (admin); the same list again changes nothing. */
  @Route("PUT /api/pricing")
  public PriceList put(PriceList list) {
    return transport.call(Call.write("PUT", "api/pricing", list, null), PriceList.class);
  }
}
