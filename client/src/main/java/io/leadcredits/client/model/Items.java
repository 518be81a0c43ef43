package io.leadcredits.client.model;

import java.util.List;

/** A list answer: {@code {"items": [...]}}. */
public record Items<T>(List<T> items) {}
