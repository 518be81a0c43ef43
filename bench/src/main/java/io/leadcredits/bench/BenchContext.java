package io.leadcredits.bench;

/** What a scenario works with during one run: the client, the tokens, the ledger and the sizes. */
record BenchContext(BenchHttp http, Tokens tokens, Ledger ledger, int clients, boolean quick) {
  /** Requests in flight while seeding: enough to keep a 2-core server busy. */
  static final int seedConcurrency = 128;
}
