package io.leadcredits.account;

import org.apache.pekko.actor.typed.RecipientRef;

/** Finds the live account entity for an id: through sharding in the service, directly in tests. */
@FunctionalInterface
public interface AccountRefs {
  RecipientRef<AccountCommand> account(String accountId);
}
