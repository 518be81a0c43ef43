package io.leadcredits.client.model;

/** A health answer: {@code live} or {@code ready}. */
public record Status(String status) {}
