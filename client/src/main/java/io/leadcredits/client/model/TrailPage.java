package io.leadcredits.client.model;

import java.util.List;

/** A page of the trail; {@code next} is the {@code after} of the next page, null on the last. */
public record TrailPage(List<TrailItem> items, Long next) {}
