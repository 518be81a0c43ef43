package io.leadcredits.auth;

/** What a bearer token is worth: a principal, or why not (each answered with its own status). */
public sealed interface Verdict {
  /** A valid token with a role: the request goes on as this principal. */
  record Accepted(Principal principal) implements Verdict {}

  /** Not a valid token (signature, key, issuer, audience, time, subject): 401. */
  record Rejected() implements Verdict {}

  /** A valid token that grants none of our roles: 403. */
  record NoRole() implements Verdict {}

  /** The identity provider's keys were never fetched, so no such token can be judged yet: 503. */
  record KeysUnavailable() implements Verdict {}

  Verdict REJECTED = new Rejected();
  Verdict NO_ROLE = new NoRole();
  Verdict KEYS_UNAVAILABLE = new KeysUnavailable();
}
