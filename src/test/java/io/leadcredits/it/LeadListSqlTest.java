package io.leadcredits.it;

import io.leadcredits.EngineKind;

/** {@link LeadListTest} against the one-round-trip SQL baseline. */
class LeadListSqlTest extends LeadListTest {
  @Override
  EngineKind engine() {
    return EngineKind.SQL;
  }
}
