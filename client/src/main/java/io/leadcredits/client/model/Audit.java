package io.leadcredits.client.model;

import java.util.List;

/** The invariant audit over every account and lead. */
public record Audit(boolean ok, List<String> violations, long accountsChecked, long leadsChecked) {}
