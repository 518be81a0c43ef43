package io.leadcredits.client.model;

import java.util.List;

/** A page of the feed and the cursor to read on from. */
public record EventPage(List<Event> items, String next) {}
