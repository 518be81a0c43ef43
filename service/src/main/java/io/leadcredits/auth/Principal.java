package io.leadcredits.auth;

import io.leadcredits.Ids;
import java.util.Objects;

/** Who a verified token speaks for: the subject is an account id (a tradie) or an operator name. */
public record Principal(String subject, Role role) {
  public Principal {
    if (!Ids.isValid(subject)) {
      throw new IllegalArgumentException("subject must match [A-Za-z0-9_.-]{1,64}");
    }
    Objects.requireNonNull(role, "role");
  }

  public boolean isAdmin() {
    return role == Role.ADMIN;
  }
}
