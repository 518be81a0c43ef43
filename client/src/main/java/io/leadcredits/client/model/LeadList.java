package io.leadcredits.client.model;

import java.util.List;
import java.util.Map;

/** The newest leads, newest first, and how many leads are in each status. */
public record LeadList(Map<String, Long> counts, List<Lead> items) {}
