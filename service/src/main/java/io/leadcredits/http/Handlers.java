package io.leadcredits.http;

/**
 * The objects whose methods serve the endpoints, built once per server. Which method serves which
 * method and path is said only in {@link Endpoints}.
 */
record Handlers(
    LeadHandlers leads,
    PricingHandlers pricing,
    RefundHandlers refunds,
    AccountHandlers accounts,
    FeedHandlers feed,
    WebhookHandlers webhooks,
    OpsHandlers ops,
    DashboardHandlers dashboard) {}
