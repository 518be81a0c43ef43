package io.leadcredits.webhook;

/** What asking for a new endpoint answers: made, with its secret, or refused, with the reason. */
public sealed interface Registration {

  /** Made; {@code secret} is shown this once. */
  record Made(WebhookEndpoint endpoint, String secret) implements Registration {}

  /** Refused: the URL may not be a webhook's, or there are as many endpoints as allowed. */
  record Refused(String reason) implements Registration {}
}
