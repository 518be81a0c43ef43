package io.leadcredits.client;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The client of one leadcredits service. Thread-safe; make one per service and share it.
 *
 * <pre>{@code
 * LeadCredits api = LeadCredits.builder(URI.create("http://localhost:8080")).token(adminToken).build();
 * api.accounts().credit("ann", 500, "pack of 500");
 * Claim claim = tradie.leads().claim("job-42");
 * }</pre>
 */
public final class LeadCredits {
  private final Accounts accounts;
  private final Leads leads;
  private final Events events;
  private final Webhooks webhooks;
  private final Operations operations;
  private final Pricing pricing;
  private final Refunds refunds;

  private LeadCredits(Transport transport) {
    this.accounts = new Accounts(transport);
    this.leads = new Leads(transport);
    this.events = new Events(transport);
    this.webhooks = new Webhooks(transport);
    this.operations = new Operations(transport);
    this.pricing = new Pricing(transport);
    this.refunds = new Refunds(transport);
  }

  public static Builder builder(URI baseUri) {
    return new Builder(baseUri);
  }

  public Accounts accounts() {
    return accounts;
  }

  public Leads leads() {
    return leads;
  }

  public Events events() {
    return events;
  }

  public Webhooks webhooks() {
    return webhooks;
  }

  public Operations operations() {
    return operations;
  }

  public Pricing pricing() {
    return pricing;
  }

  public Refunds refunds() {
    return refunds;
  }

  /** How the client reaches the service: its address, token, timeouts and retries. */
  public static final class Builder {
    private final URI baseUri;
    private Supplier<String> token = () -> null;
    private Duration timeout = Duration.ofSeconds(10);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private RetryPolicy retry = RetryPolicy.DEFAULT;
    private Consumer<HttpResponse<byte[]>> answered = r -> {};

    private Builder(URI baseUri) {
      this.baseUri = Objects.requireNonNull(baseUri, "baseUri");
    }

    /** A fixed bearer token (a JWT with role admin or tradie). */
    public Builder token(String token) {
      return token(() -> token);
    }

    /** A token asked for on every request, for tokens that are refreshed. */
    public Builder token(Supplier<String> token) {
      this.token = Objects.requireNonNull(token, "token");
      return this;
    }

    /** How long one attempt may wait for its answer (a long poll waits this much more). */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public Builder connectTimeout(Duration connectTimeout) {
      this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** Every answer, before it is read: a seam for this library's tests, not an API. */
    Builder answered(Consumer<HttpResponse<byte[]>> answered) {
      this.answered = Objects.requireNonNull(answered, "answered");
      return this;
    }

    public LeadCredits build() {
      HttpClient http = HttpClient.newBuilder().connectTimeout(connectTimeout).build();
      return new LeadCredits(new Transport(baseUri, token, http, timeout, retry, answered));
    }
  }
}
