package io.leadcredits.pricing;

/** How big the job behind a lead is; the price list may weigh each size. */
public enum JobSize {
  SMALL,
  MEDIUM,
  LARGE
}
