package io.leadcredits.client.model;

/** An endpoint's new signing secret. */
public record WebhookSecret(String id, String secret) {}
