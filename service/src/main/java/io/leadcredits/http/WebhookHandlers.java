package io.leadcredits.http;

import io.leadcredits.auth.Jwt;
import io.leadcredits.engine.CreditEngine;
import io.leadcredits.webhook.Registration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Webhook endpoints (admin): register one (its signing secret is answered only then and when it is
 * rotated), list, read, enable again, delete, and see its deliveries. Methods and paths are in
 * {@link Endpoints}.
 */
final class WebhookHandlers extends ApiDirectives {
  private final CreditEngine engine;

  WebhookHandlers(CreditEngine engine, Jwt jwt) {
    super(jwt);
    this.engine = engine;
  }

  /** 201 with the endpoint and its secret; 400 for a URL it may not have. */
  Route create() {
    return admin(
        () ->
            body(
                bytes ->
                    parsed(
                        () -> Requests.createWebhook(bytes),
                        w ->
                            reply(
                                () -> engine.createWebhook(w.url(), w.types(), w.description()),
                                WebhookHandlers::registered))));
  }

  Route list() {
    return admin(() -> reply(engine::webhooks, all -> Replies.ok(Views.webhooks(all))));
  }

  Route read(String id) {
    return admin(
        () ->
            pathId(
                id,
                "webhook id",
                valid ->
                    reply(
                        () -> engine.webhook(valid),
                        found -> orNotFound(found, e -> Replies.ok(Views.webhook(e))))));
  }

  /** 204, or 404 when there is no such endpoint (also when it was deleted before). */
  Route delete(String id) {
    return admin(
        () ->
            pathId(
                id,
                "webhook id",
                valid ->
                    reply(
                        () -> engine.deleteWebhook(valid),
                        deleted ->
                            deleted
                                ? HttpResponse.create().withStatus(StatusCodes.NO_CONTENT)
                                : notFound())));
  }

  /**
   * 200 with the endpoint, enabled (again: after a 410 disabled it); 404 when there is none. What
   * was dispatched while it was disabled is not sent: the feed has it.
   */
  Route enable(String id) {
    return command(id, engine::enableWebhook, (valid, e) -> Replies.ok(Views.webhook(e)));
  }

  /** 200 with {@code {"id","secret"}}: the old secret signs nothing from now on. */
  Route rotateSecret(String id) {
    return command(
        id,
        engine::rotateWebhookSecret,
        (valid, secret) -> Replies.ok(Json.object().put("id", valid).put("secret", secret)));
  }

  /**
   * A command on one endpoint without a body: {@code call} with the valid id, its result rendered,
   * or 404 when there is no such endpoint.
   */
  private <T> Route command(
      String id,
      Function<String, CompletionStage<Optional<T>>> call,
      BiFunction<String, T, HttpResponse> render) {
    return admin(
        () ->
            pathId(
                id,
                "webhook id",
                valid ->
                    noFields(
                        () ->
                            reply(
                                () -> call.apply(valid),
                                found -> orNotFound(found, t -> render.apply(valid, t))))));
  }

  /** The endpoint's newest deliveries, {@code ?limit=}. */
  Route deliveries(String id) {
    return admin(
        () ->
            pathId(
                id,
                "webhook id",
                valid ->
                    parameterOptional(
                        "limit",
                        limit ->
                            parsed(
                                () -> Requests.deliveriesLimit(limit.orElse(null)),
                                n ->
                                    reply(
                                        () -> engine.webhookDeliveries(valid, n),
                                        page ->
                                            orNotFound(
                                                page, d -> Replies.ok(Views.deliveries(d))))))));
  }

  private Route admin(java.util.function.Supplier<Route> inner) {
    return authenticated(principal -> adminOnly(principal, inner));
  }

  private static HttpResponse registered(Registration r) {
    if (r instanceof Registration.Made made) {
      var body = Views.webhook(made.endpoint()).put("secret", made.secret());
      return Replies.json(StatusCodes.CREATED, body, false);
    }
    return Problems.invalid(((Registration.Refused) r).reason());
  }

  private static <T> HttpResponse orNotFound(Optional<T> value, Function<T, HttpResponse> render) {
    return value.map(render).orElseGet(WebhookHandlers::notFound);
  }

  private static HttpResponse notFound() {
    return Problems.of(ProblemCode.NOT_FOUND, "no such webhook endpoint");
  }
}
