package io.leadcredits.http;

import io.leadcredits.auth.Jwt;
import io.leadcredits.auth.Principal;
import io.leadcredits.auth.Verdict;
import io.leadcredits.engine.Unsupported;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directives every API route is made of: authenticate, authorize, read a JSON body, parse it,
 * call the engine and answer. Each answers a failure with its problem at once, so a route reads as
 * the list of checks a request must pass, in order: 401, 403, 400/415, then the engine's answer.
 */
abstract class ApiDirectives extends AllDirectives {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private static final Logger log = LoggerFactory.getLogger(ApiDirectives.class);
  private static final byte[] NO_BODY = new byte[0];

  private final Jwt jwt;

  ApiDirectives(Jwt jwt) {
    this.jwt = jwt;
  }

  Route authenticated(Function<Principal, Route> inner) {
    return optionalHeaderValueByName(
        "Authorization",
        header -> {
          String token = Auth.bearerToken(header.orElse(null));
          Verdict verdict = jwt.check(token);
          if (verdict instanceof Verdict.Accepted accepted) {
            return inner.apply(accepted.principal());
          }
          if (verdict instanceof Verdict.NoRole) {
            return complete(
                Problems.forbidden("the token grants neither the admin nor the tradie role"));
          }
          if (verdict instanceof Verdict.KeysUnavailable) {
            return complete(
                Problems.of(
                    ProblemCode.NOT_READY,
                    "the identity provider's keys have not been fetched yet"));
          }
          return complete(
              Problems.unauthenticated(
                  header.isPresent()
                      ? "the bearer token is invalid or expired"
                      : "an Authorization: Bearer token is required"));
        });
  }

  Route adminOnly(Principal principal, Supplier<Route> inner) {
    return Auth.isAdmin(principal)
        ? inner.get()
        : complete(Problems.forbidden("admin role required"));
  }

  Route tradieOnly(Principal principal, Supplier<Route> inner) {
    return Auth.isTradie(principal)
        ? inner.get()
        : complete(Problems.forbidden("only a tradie can do this, as themselves"));
  }

  Route adminOrOwner(Principal principal, String accountId, Supplier<Route> inner) {
    return Auth.mayActOn(principal, accountId)
        ? inner.get()
        : complete(Problems.forbidden("admin role or ownership of the account required"));
  }

  /** A path id that must be a valid id, else 400. */
  Route pathId(String id, String what, Function<String, Route> inner) {
    return parsed(() -> Requests.pathId(id, what), inner);
  }

  /**
   * The request body as bytes: empty when there is none, else it must be declared JSON (415).
   * Reading a body over {@code pekko.http.server.parsing.max-content-length} is rejected and
   * answered 413 by the rejection handler.
   */
  Route body(Function<byte[], Route> inner) {
    return extractRequestEntity(
        entity -> {
          if (entity.isKnownEmpty()) {
            return inner.apply(NO_BODY);
          }
          if (!isJson(entity.getContentType())) {
            return complete(
                Problems.of(
                    ProblemCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json"));
          }
          return entity(Unmarshaller.entityToByteArray(), inner);
        });
  }

  /** The body and the Idempotency-Key header (null when absent), for a mutation. */
  Route bodyAndKey(BiFunction<byte[], String, Route> inner) {
    return optionalHeaderValueByName(
        IDEMPOTENCY_KEY, key -> body(bytes -> inner.apply(bytes, key.orElse(null))));
  }

  /** The value {@code parse} returns, or 400 with its complaint. */
  <T> Route parsed(Supplier<T> parse, Function<T, Route> inner) {
    T value;
    try {
      value = parse.get();
    } catch (InvalidRequestException e) {
      return complete(Problems.invalid(e.getMessage()));
    }
    return inner.apply(value);
  }

  /**
   * The query parameters {@code first} and {@code second} (each null when absent) as {@code parse}
   * reads them, or 400 with its complaint.
   */
  <T> Route query(
      String first, String second, BiFunction<String, String, T> parse, Function<T, Route> inner) {
    return parameterOptional(
        first,
        a ->
            parameterOptional(
                second, b -> parsed(() -> parse.apply(a.orElse(null), b.orElse(null)), inner)));
  }

  /** A command without parameters: no body or {@code {}}. */
  Route noFields(Supplier<Route> inner) {
    return body(
        bytes ->
            parsed(
                () -> {
                  Requests.noFields(bytes);
                  return bytes;
                },
                ignored -> inner.get()));
  }

  /**
   * Calls the engine and answers with {@code render} of its reply. A failed stage (ask timeout, an
   * unreachable database) is an unknown outcome: 503, retry with the same transaction id. An
   * operation the engine does not offer is rejected with no rejection at all, which the rejection
   * handler answers exactly as a route that does not exist: 404.
   */
  <T> Route reply(Supplier<CompletionStage<T>> call, Function<T, HttpResponse> render) {
    CompletionStage<T> stage = call.get();
    if (Unsupported.answered(stage)) {
      return reject();
    }
    return completeWithFuture(
        stage.handle(
            (value, failure) -> {
              if (failure == null) {
                return render.apply(value);
              }
              Problem problem = Problems.engineFailure(failure);
              log.warn(
                  "engine call failed, answered {}: {}",
                  problem.code(),
                  Problems.unwrap(failure).toString());
              return Problems.response(problem);
            }));
  }

  private static boolean isJson(ContentType contentType) {
    MediaType mediaType = contentType.mediaType();
    return mediaType.isApplication() && mediaType.subType().equalsIgnoreCase("json");
  }
}
