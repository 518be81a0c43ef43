package io.leadcredits.client;

import static io.leadcredits.client.Transport.segment;

import com.fasterxml.jackson.core.type.TypeReference;
import io.leadcredits.client.Transport.Call;
import io.leadcredits.client.model.Delivery;
import io.leadcredits.client.model.Items;
import io.leadcredits.client.model.NewWebhook;
import io.leadcredits.client.model.Webhook;
import io.leadcredits.client.model.WebhookSecret;
import java.util.List;

/**
 * Webhook endpoints (admin). Registering one and rotating its secret are not idempotent: they are
 * retried only when the service refused them unapplied ({@code OVERLOADED}, {@code NOT_READY}),
 * never after a lost answer.
 */
public final class Webhooks {
  private final Transport transport;

  Webhooks(Transport transport) {
    this.transport = transport;
  }

  /** Registers the endpoint; the answer holds its signing secret, shown only here. */
  @Route("POST /api/webhooks")
  public Webhook create(NewWebhook webhook) {
    return transport.call(Call.once("POST", "api/webhooks", webhook), Webhook.class);
  }

  @Route("GET /api/webhooks")
  public List<Webhook> list() {
    Items<Webhook> items =
        transport.call(
            Call.read("api/webhooks"),
            Transport.json.getTypeFactory().constructType(new TypeReference<Items<Webhook>>() {}));
    return items.items();
  }

  @Route("GET /api/webhooks/{webhookId}")
  public Webhook get(String webhookId) {
    return transport.call(Call.read("api/webhooks/" + segment(webhookId)), Webhook.class);
  }

  @Route("DELETE /api/webhooks/{webhookId}")
  public void delete(String webhookId) {
    transport.call(
        Call.write("DELETE", "api/webhooks/" + segment(webhookId), null, null), Void.class);
  }

  /** Enables an endpoint again that a 410 disabled; its pending deliveries go out again. */
  @Route("POST /api/webhooks/{webhookId}/enable")
  public Webhook enable(String webhookId) {
    return transport.call(
        Call.write("POST", "api/webhooks/" + segment(webhookId) + "/enable", null, null),
        Webhook.class);
  }

  @Route("POST /api/webhooks/{webhookId}/rotate-secret")
  public WebhookSecret rotateSecret(String webhookId) {
    return transport.call(
        Call.once("POST", "api/webhooks/" + segment(webhookId) + "/rotate-secret", null),
        WebhookSecret.class);
  }

  /** The endpoint's latest deliveries, newest first. */
  @Route("GET /api/webhooks/{webhookId}/deliveries")
  public List<Delivery> deliveries(String webhookId) {
    Items<Delivery> items =
        transport.call(
            Call.read("api/webhooks/" + segment(webhookId) + "/deliveries"),
            Transport.json.getTypeFactory().constructType(new TypeReference<Items<Delivery>>() {}));
    return items.items();
  }
}
