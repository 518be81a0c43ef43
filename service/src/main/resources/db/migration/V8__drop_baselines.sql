-- The benchmark's baselines no longer live in the service's schema. V3, V5 and V6 created their
-- tables, types and functions in every database the service ran on; they are gone from this
-- location (Database ignores their rows in flyway_schema_history), and a baseline engine now
-- applies its own schema, db/baseline, recorded in baseline_schema_history, after these
-- migrations. Here they leave the databases that got them: a production database never used them.
-- On a database that `serve --engine locks|sql` ran on, this empties the baseline's tables; the
-- engine creates them again, empty, when it starts.
--
-- IF EXISTS throughout: a database created after this change never had any of them.

-- Children first, so no foreign key needs CASCADE; the ledger's trigger and indexes go with it.
DROP TABLE IF EXISTS bl_claims;
DROP TABLE IF EXISTS bl_leads;
DROP TABLE IF EXISTS bl_ledger;
DROP TABLE IF EXISTS bl_holds;
DROP TABLE IF EXISTS bl_accounts;

DROP FUNCTION IF EXISTS bl_ledger_append_only();
DROP FUNCTION IF EXISTS bl_micros(TIMESTAMPTZ);
DROP FUNCTION IF EXISTS bl_rejected(TEXT, TEXT);
DROP FUNCTION IF EXISTS bl_account_view(TEXT, TIMESTAMPTZ, TEXT, TEXT, BOOLEAN, BIGINT);
DROP FUNCTION IF EXISTS bl_hold_counts(TEXT, TIMESTAMPTZ);
DROP FUNCTION IF EXISTS bl_change_view(TEXT, TIMESTAMPTZ, BIGINT, TEXT);
DROP FUNCTION IF EXISTS bl_append(TEXT, TEXT, TEXT, BIGINT, BIGINT, BIGINT, TIMESTAMPTZ, JSONB,
                                  TEXT, TIMESTAMPTZ);
DROP FUNCTION IF EXISTS bl_due_reserved(TEXT, TIMESTAMPTZ);
DROP FUNCTION IF EXISTS bl_expire_due(TEXT, TIMESTAMPTZ);
DROP FUNCTION IF EXISTS bl_replay(TEXT, TEXT, TEXT, TIMESTAMPTZ);
DROP FUNCTION IF EXISTS bl_credit(TEXT, TEXT, BIGINT, JSONB, TEXT, TIMESTAMPTZ);
DROP FUNCTION IF EXISTS bl_take(TEXT, TEXT, BIGINT, JSONB, TEXT, TIMESTAMPTZ);
DROP FUNCTION IF EXISTS bl_debit(TEXT, TEXT, BIGINT, JSONB, TEXT, TIMESTAMPTZ);
DROP FUNCTION IF EXISTS bl_reserve(TEXT, TEXT, BIGINT, TIMESTAMPTZ, JSONB, TEXT, INT, TIMESTAMPTZ);
DROP FUNCTION IF EXISTS bl_end_hold(TEXT, TEXT, TEXT, TIMESTAMPTZ);
DROP FUNCTION IF EXISTS bl_lead_view(TEXT, TEXT, TEXT, BOOLEAN);
DROP FUNCTION IF EXISTS bl_lead_rejected(TEXT, TEXT);
DROP FUNCTION IF EXISTS bl_create_lead(TEXT, BIGINT, INT, TIMESTAMPTZ, TIMESTAMPTZ);
DROP FUNCTION IF EXISTS bl_close_lead(TEXT, TIMESTAMPTZ);
DROP FUNCTION IF EXISTS bl_claim_rejected(TEXT, TEXT);
DROP FUNCTION IF EXISTS bl_claim_replay(TEXT, TEXT);
DROP FUNCTION IF EXISTS bl_claim(TEXT, TEXT, TEXT, JSONB, TEXT, TIMESTAMPTZ);

-- Last: every function above returned or used one of them.
DROP TYPE IF EXISTS bl_account_result;
DROP TYPE IF EXISTS bl_lead_result;
DROP TYPE IF EXISTS bl_claim_result;
