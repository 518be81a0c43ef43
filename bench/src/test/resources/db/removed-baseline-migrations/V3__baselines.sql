-- The benchmark's two baselines (io.leadcredits.baseline): the lock design (`--engine locks`) and
-- the one-round-trip SQL design (`--engine sql`). Both use these tables; the benchmark gives every
-- engine run a fresh database, so they never share rows. The actor engine never touches them.
--
-- The constraints are the last line of defence, not the logic: the engines decide under a row lock
-- and only then write, so a CHECK or unique violation here is a bug surfacing, never a rejection.

CREATE TABLE bl_accounts (
  account_id VARCHAR(64) PRIMARY KEY,
  balance BIGINT NOT NULL DEFAULT 0,
  -- Every hold not yet ended, including expired ones whose EXPIRE is not recorded yet (the
  -- baselines record expiries lazily); the engines subtract those when they compute available.
  reserved BIGINT NOT NULL DEFAULT 0,
  -- The number of ledger rows: the account's version, as clients see it.
  version BIGINT NOT NULL DEFAULT 0,
  CONSTRAINT bl_accounts_balance_not_negative CHECK (balance >= 0),
  CONSTRAINT bl_accounts_reserved_within_balance CHECK (reserved >= 0 AND reserved <= balance)
);

CREATE TABLE bl_holds (
  account_id VARCHAR(64) NOT NULL REFERENCES bl_accounts,
  hold_id VARCHAR(64) NOT NULL,
  amount BIGINT NOT NULL CHECK (amount > 0),
  expires_at TIMESTAMPTZ NOT NULL,
  -- Null while open; then exactly one end, once.
  ended VARCHAR(8) CHECK (ended IN ('CAPTURED', 'RELEASED', 'EXPIRED')),
  PRIMARY KEY (account_id, hold_id)
);

-- Open holds of an account, earliest expiry first: what "available" and the lazy expiry read.
CREATE INDEX bl_holds_open_idx ON bl_holds (account_id, expires_at) WHERE ended IS NULL;

-- The audit trail: one row per change, never updated or deleted.
CREATE TABLE bl_ledger (
  account_id VARCHAR(64) NOT NULL,
  version BIGINT NOT NULL,
  transaction_id VARCHAR(64) NOT NULL,
  type VARCHAR(8) NOT NULL
    CHECK (type IN ('CREDIT', 'DEBIT', 'RESERVE', 'CAPTURE', 'RELEASE', 'EXPIRE')),
  -- Whether the row opens its transaction id (a request) or ends a hold opened earlier.
  opens BOOLEAN GENERATED ALWAYS AS (type IN ('CREDIT', 'DEBIT', 'RESERVE')) STORED,
  amount BIGINT NOT NULL CHECK (amount > 0),
  balance_before BIGINT NOT NULL,
  balance_after BIGINT NOT NULL,
  reserved_before BIGINT NOT NULL,
  reserved_after BIGINT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  metadata JSONB NOT NULL DEFAULT '{}',
  -- What makes a repeat "the same request" (opening rows only).
  fingerprint TEXT,
  -- RESERVE rows only: the hold's expiry, so the trail alone rebuilds the account.
  hold_expires_at TIMESTAMPTZ,
  PRIMARY KEY (account_id, version),
  CHECK (balance_after >= 0 AND reserved_after >= 0 AND reserved_after <= balance_after)
);

-- Idempotency under concurrency: a transaction id opens at most once per account, and a hold ends
-- at most once. Also the index behind every "was this transaction id seen" lookup.
CREATE UNIQUE INDEX bl_ledger_transaction_idx ON bl_ledger (account_id, transaction_id, opens);

CREATE FUNCTION bl_ledger_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'bl_ledger is append-only';
END $$;

CREATE TRIGGER bl_ledger_append_only BEFORE UPDATE OR DELETE ON bl_ledger
  FOR EACH ROW EXECUTE FUNCTION bl_ledger_append_only();

CREATE TABLE bl_leads (
  lead_id VARCHAR(64) PRIMARY KEY,
  credit_cost BIGINT NOT NULL CHECK (credit_cost > 0),
  max_claims INT NOT NULL CHECK (max_claims BETWEEN 1 AND 1000),
  -- Confirmed claims: the counter the slot is taken on, checked against max_claims.
  claims INT NOT NULL DEFAULT 0,
  expires_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL,
  closed_at TIMESTAMPTZ,
  CONSTRAINT bl_leads_claims_within_max CHECK (claims >= 0 AND claims <= max_claims)
);

-- A claim is confirmed and paid in the transaction that inserts it: there is no pending state.
CREATE TABLE bl_claims (
  lead_id VARCHAR(64) NOT NULL REFERENCES bl_leads,
  tradie_id VARCHAR(64) NOT NULL,
  claim_id VARCHAR(64) NOT NULL UNIQUE,
  seq INT NOT NULL,
  credits_used BIGINT NOT NULL,
  -- The tradie's balance right after paying: a repeated claim answers with it.
  balance_after BIGINT NOT NULL,
  at TIMESTAMPTZ NOT NULL,
  PRIMARY KEY (lead_id, tradie_id),
  UNIQUE (lead_id, seq)
);

-- ---- The SQL engine's functions: each request is one call, one round trip, one transaction ----
--
-- They run in the caller's autocommit transaction under READ COMMITTED; a volatile PL/pgSQL
-- function takes a fresh snapshot per statement, so a statement after a row lock wait sees what
-- the lock holder committed. Rejections are results ('INSUFFICIENT_CREDITS', …), not exceptions.

CREATE TYPE bl_account_result AS (
  outcome TEXT,          -- 'OK' or a Rejection name
  detail TEXT,
  replayed BOOLEAN,
  balance_after BIGINT,  -- the balance right after the request's transaction
  balance BIGINT,
  reserved BIGINT,       -- live holds only
  version BIGINT,
  holds JSONB            -- live holds, earliest expiry first: [{"id","amount","expiresAt" µs}]
);

CREATE TYPE bl_lead_result AS (
  outcome TEXT,
  detail TEXT,
  replayed BOOLEAN,
  credit_cost BIGINT,
  max_claims INT,
  claims INT,
  expires_at TIMESTAMPTZ,
  closed_at TIMESTAMPTZ,
  claim_list JSONB       -- confirmed claims in the order won: [{"tradieId","claimId","at" µs}]
);

CREATE TYPE bl_claim_result AS (
  outcome TEXT,
  detail TEXT,
  replayed BOOLEAN,
  claim_id TEXT,
  credits_used BIGINT,
  balance_after BIGINT
);

CREATE FUNCTION bl_micros(ts TIMESTAMPTZ) RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$
  SELECT (extract(epoch FROM ts) * 1000000)::BIGINT
$$;

CREATE FUNCTION bl_rejected(p_outcome TEXT, p_detail TEXT) RETURNS bl_account_result
LANGUAGE sql IMMUTABLE AS $$
  SELECT ROW(p_outcome, p_detail, false, NULL, NULL, NULL, NULL, NULL)::bl_account_result
$$;

-- The account as clients see it at p_now, with the request's outcome.
CREATE FUNCTION bl_account_view(
  p_account TEXT, p_now TIMESTAMPTZ, p_outcome TEXT, p_detail TEXT, p_replayed BOOLEAN,
  p_balance_after BIGINT) RETURNS bl_account_result LANGUAGE sql AS $$
  SELECT ROW(p_outcome, p_detail, p_replayed, coalesce(p_balance_after, a.balance), a.balance,
             coalesce(h.live, 0), a.version, coalesce(h.list, '[]'::JSONB))::bl_account_result
  FROM bl_accounts a
  LEFT JOIN LATERAL (
    SELECT sum(amount)::BIGINT AS live,
           jsonb_agg(jsonb_build_object('id', hold_id, 'amount', amount,
                                        'expiresAt', bl_micros(expires_at))
                     ORDER BY expires_at, hold_id) AS list
    FROM bl_holds
    WHERE account_id = a.account_id AND ended IS NULL AND expires_at > p_now) h ON true
  WHERE a.account_id = p_account
$$;

-- Appends one ledger row and moves the account's counters with it; the caller holds the row lock.
CREATE FUNCTION bl_append(
  p_account TEXT, p_tx TEXT, p_type TEXT, p_amount BIGINT, p_balance_delta BIGINT,
  p_reserved_delta BIGINT, p_at TIMESTAMPTZ, p_metadata JSONB, p_fingerprint TEXT,
  p_hold_expires_at TIMESTAMPTZ) RETURNS BIGINT LANGUAGE plpgsql AS $$
DECLARE
  a RECORD;
BEGIN
  UPDATE bl_accounts
     SET balance = balance + p_balance_delta, reserved = reserved + p_reserved_delta,
         version = version + 1
   WHERE account_id = p_account
  RETURNING balance, reserved, version INTO a;
  INSERT INTO bl_ledger (account_id, version, transaction_id, type, amount, balance_before,
                         balance_after, reserved_before, reserved_after, at, metadata,
                         fingerprint, hold_expires_at)
  VALUES (p_account, a.version, p_tx, p_type, p_amount, a.balance - p_balance_delta, a.balance,
          a.reserved - p_reserved_delta, a.reserved, p_at, coalesce(p_metadata, '{}'),
          p_fingerprint, p_hold_expires_at);
  RETURN a.balance;
END $$;

-- Held credits of holds past their expiry whose EXPIRE is not recorded yet.
CREATE FUNCTION bl_due_reserved(p_account TEXT, p_now TIMESTAMPTZ) RETURNS BIGINT
LANGUAGE sql AS $$
  SELECT coalesce(sum(amount), 0)::BIGINT FROM bl_holds
  WHERE account_id = p_account AND ended IS NULL AND expires_at <= p_now
$$;

-- Records the EXPIRE of every due hold, in expiry order, as the actor does before any change.
CREATE FUNCTION bl_expire_due(p_account TEXT, p_now TIMESTAMPTZ) RETURNS BOOLEAN
LANGUAGE plpgsql AS $$
DECLARE
  h RECORD;
  any_due BOOLEAN := false;
BEGIN
  FOR h IN SELECT hold_id, amount, expires_at FROM bl_holds
            WHERE account_id = p_account AND ended IS NULL AND expires_at <= p_now
            ORDER BY expires_at, hold_id
  LOOP
    PERFORM bl_append(p_account, h.hold_id, 'EXPIRE', h.amount, 0, -h.amount, h.expires_at,
                      NULL, NULL, NULL);
    UPDATE bl_holds SET ended = 'EXPIRED' WHERE account_id = p_account AND hold_id = h.hold_id;
    any_due := true;
  END LOOP;
  RETURN any_due;
END $$;

-- A repeat of an applied request: its first answer, or a conflict; NULL outcome when new.
CREATE FUNCTION bl_replay(p_account TEXT, p_tx TEXT, p_fingerprint TEXT, p_now TIMESTAMPTZ)
RETURNS bl_account_result LANGUAGE plpgsql AS $$
DECLARE
  seen TEXT;
BEGIN
  SELECT fingerprint INTO seen FROM bl_ledger
   WHERE account_id = p_account AND transaction_id = p_tx AND opens;
  IF NOT FOUND THEN
    RETURN bl_rejected(NULL, NULL);
  END IF;
  IF seen IS DISTINCT FROM p_fingerprint THEN
    RETURN bl_rejected('IDEMPOTENCY_CONFLICT',
                       'transaction ' || p_tx || ' was used with another request');
  END IF;
  RETURN bl_account_view(p_account, p_now, 'OK', NULL, true,
    (SELECT balance_after FROM bl_ledger WHERE account_id = p_account AND transaction_id = p_tx
      ORDER BY version DESC LIMIT 1));
END $$;

CREATE FUNCTION bl_credit(
  p_account TEXT, p_tx TEXT, p_amount BIGINT, p_metadata JSONB, p_fingerprint TEXT,
  p_now TIMESTAMPTZ) RETURNS bl_account_result LANGUAGE plpgsql AS $$
DECLARE
  balance_now BIGINT;
  r bl_account_result;
BEGIN
  SELECT balance INTO balance_now FROM bl_accounts WHERE account_id = p_account FOR UPDATE;
  IF NOT FOUND THEN
    INSERT INTO bl_accounts (account_id) VALUES (p_account) ON CONFLICT DO NOTHING;
    SELECT balance INTO balance_now FROM bl_accounts WHERE account_id = p_account FOR UPDATE;
  END IF;
  r := bl_replay(p_account, p_tx, p_fingerprint, p_now);
  IF r.outcome IS NOT NULL THEN
    RETURN r;
  END IF;
  IF balance_now > 9223372036854775807 - p_amount THEN
    RETURN bl_rejected('INVALID_REQUEST', 'the balance would exceed the largest amount');
  END IF;
  PERFORM bl_expire_due(p_account, p_now);
  RETURN bl_account_view(p_account, p_now, 'OK', NULL, false,
    bl_append(p_account, p_tx, 'CREDIT', p_amount, p_amount, 0, p_now, p_metadata,
              p_fingerprint, NULL));
END $$;

-- A debit without the view: what a claim needs. balance_after is set when accepted.
CREATE FUNCTION bl_take(
  p_account TEXT, p_tx TEXT, p_amount BIGINT, p_metadata JSONB, p_fingerprint TEXT,
  p_now TIMESTAMPTZ) RETURNS bl_account_result LANGUAGE plpgsql AS $$
DECLARE
  a RECORD;
  available BIGINT;
  r bl_account_result;
BEGIN
  SELECT balance, reserved INTO a FROM bl_accounts WHERE account_id = p_account FOR UPDATE;
  IF NOT FOUND THEN
    RETURN bl_rejected('INSUFFICIENT_CREDITS',
                       'debit of ' || p_amount || ' exceeds available 0');
  END IF;
  r := bl_replay(p_account, p_tx, p_fingerprint, p_now);
  IF r.outcome IS NOT NULL THEN
    RETURN r;
  END IF;
  available := a.balance - a.reserved + bl_due_reserved(p_account, p_now);
  IF p_amount > available THEN
    RETURN bl_rejected('INSUFFICIENT_CREDITS',
                       'debit of ' || p_amount || ' exceeds available ' || available);
  END IF;
  PERFORM bl_expire_due(p_account, p_now);
  r := bl_rejected('OK', NULL);
  r.balance_after := bl_append(p_account, p_tx, 'DEBIT', p_amount, -p_amount, 0, p_now,
                               p_metadata, p_fingerprint, NULL);
  RETURN r;
END $$;

CREATE FUNCTION bl_debit(
  p_account TEXT, p_tx TEXT, p_amount BIGINT, p_metadata JSONB, p_fingerprint TEXT,
  p_now TIMESTAMPTZ) RETURNS bl_account_result LANGUAGE plpgsql AS $$
DECLARE
  r bl_account_result;
BEGIN
  r := bl_take(p_account, p_tx, p_amount, p_metadata, p_fingerprint, p_now);
  IF r.outcome <> 'OK' OR r.replayed THEN
    RETURN r;  -- a rejection, or a replay that already carries the view
  END IF;
  RETURN bl_account_view(p_account, p_now, 'OK', NULL, false, r.balance_after);
END $$;

CREATE FUNCTION bl_reserve(
  p_account TEXT, p_hold TEXT, p_amount BIGINT, p_expires_at TIMESTAMPTZ, p_metadata JSONB,
  p_fingerprint TEXT, p_holds_max INT, p_now TIMESTAMPTZ) RETURNS bl_account_result
LANGUAGE plpgsql AS $$
DECLARE
  a RECORD;
  available BIGINT;
  r bl_account_result;
BEGIN
  SELECT balance, reserved INTO a FROM bl_accounts WHERE account_id = p_account FOR UPDATE;
  IF NOT FOUND THEN
    RETURN bl_rejected('INSUFFICIENT_CREDITS',
                       'reservation of ' || p_amount || ' exceeds available 0');
  END IF;
  r := bl_replay(p_account, p_hold, p_fingerprint, p_now);
  IF r.outcome IS NOT NULL THEN
    RETURN r;
  END IF;
  IF (SELECT count(*) FROM bl_holds
       WHERE account_id = p_account AND ended IS NULL AND expires_at > p_now) >= p_holds_max THEN
    RETURN bl_rejected('TOO_MANY_HOLDS',
                       'an account holds at most ' || p_holds_max || ' reservations');
  END IF;
  available := a.balance - a.reserved + bl_due_reserved(p_account, p_now);
  IF p_amount > available THEN
    RETURN bl_rejected('INSUFFICIENT_CREDITS',
                       'reservation of ' || p_amount || ' exceeds available ' || available);
  END IF;
  PERFORM bl_expire_due(p_account, p_now);
  INSERT INTO bl_holds (account_id, hold_id, amount, expires_at)
  VALUES (p_account, p_hold, p_amount, p_expires_at);
  RETURN bl_account_view(p_account, p_now, 'OK', NULL, false,
    bl_append(p_account, p_hold, 'RESERVE', p_amount, 0, p_amount, p_now, p_metadata,
              p_fingerprint, p_expires_at));
END $$;

-- Capture (p_end 'CAPTURED': the hold becomes a debit in this one step) or release ('RELEASED').
CREATE FUNCTION bl_end_hold(p_account TEXT, p_hold TEXT, p_end TEXT, p_now TIMESTAMPTZ)
RETURNS bl_account_result LANGUAGE plpgsql AS $$
DECLARE
  h RECORD;
  was TEXT;
  captured BOOLEAN := p_end = 'CAPTURED';
  ended_balance BIGINT;
BEGIN
  PERFORM 1 FROM bl_accounts WHERE account_id = p_account FOR UPDATE;
  SELECT amount, expires_at, ended INTO h FROM bl_holds
   WHERE account_id = p_account AND hold_id = p_hold;
  IF NOT FOUND THEN
    RETURN bl_rejected('NOT_FOUND', 'no reservation ' || p_hold);
  END IF;
  IF h.ended IS NULL AND h.expires_at > p_now THEN
    PERFORM bl_expire_due(p_account, p_now);
    UPDATE bl_holds SET ended = p_end WHERE account_id = p_account AND hold_id = p_hold;
    ended_balance := bl_append(p_account, p_hold, CASE WHEN captured THEN 'CAPTURE' ELSE 'RELEASE' END,
                       h.amount, CASE WHEN captured THEN -h.amount ELSE 0 END, -h.amount,
                       p_now, NULL, NULL, NULL);
    RETURN bl_account_view(p_account, p_now, 'OK', NULL, false, ended_balance);
  END IF;
  was := coalesce(h.ended, 'EXPIRED');  -- open but past its expiry: expired, not yet recorded
  IF NOT (was = p_end OR (p_end = 'RELEASED' AND was = 'EXPIRED')) THEN
    RETURN bl_rejected('HOLD_NOT_ACTIVE',
                       'reservation ' || p_hold || ' was already ' || lower(was));
  END IF;
  -- The same end again: a replay, unless expiries were due, which this request now records.
  RETURN bl_account_view(p_account, p_now, 'OK', NULL, NOT bl_expire_due(p_account, p_now),
    (SELECT balance_after FROM bl_ledger WHERE account_id = p_account AND transaction_id = p_hold
      ORDER BY version DESC LIMIT 1));
END $$;

CREATE FUNCTION bl_lead_view(p_lead TEXT, p_outcome TEXT, p_detail TEXT, p_replayed BOOLEAN)
RETURNS bl_lead_result LANGUAGE sql AS $$
  SELECT ROW(p_outcome, p_detail, p_replayed, l.credit_cost, l.max_claims, l.claims,
             l.expires_at, l.closed_at,
             (SELECT coalesce(jsonb_agg(jsonb_build_object('tradieId', c.tradie_id,
                                                           'claimId', c.claim_id,
                                                           'at', bl_micros(c.at))
                                        ORDER BY c.seq), '[]'::JSONB)
                FROM bl_claims c WHERE c.lead_id = l.lead_id))::bl_lead_result
  FROM bl_leads l WHERE l.lead_id = p_lead
$$;

CREATE FUNCTION bl_lead_rejected(p_outcome TEXT, p_detail TEXT) RETURNS bl_lead_result
LANGUAGE sql IMMUTABLE AS $$
  SELECT ROW(p_outcome, p_detail, false, NULL, NULL, NULL, NULL, NULL, NULL)::bl_lead_result
$$;

CREATE FUNCTION bl_create_lead(
  p_lead TEXT, p_cost BIGINT, p_max INT, p_expires_at TIMESTAMPTZ, p_now TIMESTAMPTZ)
RETURNS bl_lead_result LANGUAGE plpgsql AS $$
DECLARE
  l RECORD;
BEGIN
  SELECT credit_cost, max_claims, expires_at INTO l FROM bl_leads WHERE lead_id = p_lead;
  IF NOT FOUND THEN
    IF p_cost < 1 OR p_max < 1 OR p_max > 1000 OR p_expires_at <= p_now THEN
      RETURN bl_lead_rejected('INVALID_REQUEST', 'invalid lead terms');
    END IF;
    INSERT INTO bl_leads (lead_id, credit_cost, max_claims, expires_at, created_at)
    VALUES (p_lead, p_cost, p_max, p_expires_at, p_now) ON CONFLICT DO NOTHING;
    IF FOUND THEN
      RETURN bl_lead_view(p_lead, 'OK', NULL, false);
    END IF;
    -- A concurrent create of the same lead won; answer as a repeat of it.
    SELECT credit_cost, max_claims, expires_at INTO l FROM bl_leads WHERE lead_id = p_lead;
  END IF;
  IF l.credit_cost = p_cost AND l.max_claims = p_max
     AND l.expires_at IS NOT DISTINCT FROM p_expires_at THEN
    RETURN bl_lead_view(p_lead, 'OK', NULL, true);
  END IF;
  RETURN bl_lead_rejected('IDEMPOTENCY_CONFLICT', 'lead ' || p_lead || ' exists with other terms');
END $$;

CREATE FUNCTION bl_close_lead(p_lead TEXT, p_now TIMESTAMPTZ) RETURNS bl_lead_result
LANGUAGE plpgsql AS $$
BEGIN
  UPDATE bl_leads SET closed_at = p_now WHERE lead_id = p_lead AND closed_at IS NULL;
  IF FOUND THEN
    RETURN bl_lead_view(p_lead, 'OK', NULL, false);
  END IF;
  IF EXISTS (SELECT 1 FROM bl_leads WHERE lead_id = p_lead) THEN
    RETURN bl_lead_view(p_lead, 'OK', NULL, true);
  END IF;
  RETURN bl_lead_rejected('NOT_FOUND', 'no lead ' || p_lead);
END $$;

CREATE FUNCTION bl_claim_rejected(p_outcome TEXT, p_detail TEXT) RETURNS bl_claim_result
LANGUAGE sql IMMUTABLE AS $$
  SELECT ROW(p_outcome, p_detail, false, NULL, NULL, NULL)::bl_claim_result
$$;

CREATE FUNCTION bl_claim_replay(p_lead TEXT, p_tradie TEXT) RETURNS bl_claim_result
LANGUAGE sql AS $$
  SELECT ROW('OK', NULL, true, claim_id, credits_used, balance_after)::bl_claim_result
  FROM bl_claims WHERE lead_id = p_lead AND tradie_id = p_tradie
$$;

-- A claim in one transaction: take a slot with a conditional UPDATE (a full lead is refused
-- without waiting for its row lock once the refusal is committed), pay with the claim id as the
-- debit's transaction id, record the claim. A refused payment gives the slot straight back.
-- p_fingerprint_after_cost: the claim debit's fingerprint without its leading 'DEBIT|<cost>',
-- which only this function knows.
CREATE FUNCTION bl_claim(
  p_lead TEXT, p_tradie TEXT, p_claim_id TEXT, p_metadata JSONB, p_fingerprint_after_cost TEXT,
  p_now TIMESTAMPTZ) RETURNS bl_claim_result LANGUAGE plpgsql AS $$
DECLARE
  won bl_claim_result;
  l RECORD;
  paid bl_account_result;
BEGIN
  won := bl_claim_replay(p_lead, p_tradie);
  IF won.outcome IS NOT NULL THEN
    RETURN won;
  END IF;
  UPDATE bl_leads SET claims = claims + 1
   WHERE lead_id = p_lead AND claims < max_claims AND closed_at IS NULL
     AND (expires_at IS NULL OR expires_at > p_now)
  RETURNING credit_cost, claims INTO l;
  IF NOT FOUND THEN
    -- The same tradie's claim may have committed while this one waited for the row.
    won := bl_claim_replay(p_lead, p_tradie);
    IF won.outcome IS NOT NULL THEN
      RETURN won;
    END IF;
    SELECT claims, max_claims INTO l FROM bl_leads WHERE lead_id = p_lead;
    IF NOT FOUND THEN
      RETURN bl_claim_rejected('NOT_FOUND', 'no lead ' || p_lead);
    ELSIF l.claims >= l.max_claims THEN
      RETURN bl_claim_rejected('LEAD_FULL', 'lead ' || p_lead || ' has no slot left');
    END IF;
    RETURN bl_claim_rejected('LEAD_CLOSED', 'lead ' || p_lead || ' is closed');
  END IF;
  -- This transaction holds the lead row now: the same tradie's claim committed or never started.
  won := bl_claim_replay(p_lead, p_tradie);
  IF won.outcome IS NOT NULL THEN
    UPDATE bl_leads SET claims = claims - 1 WHERE lead_id = p_lead;
    RETURN won;
  END IF;
  paid := bl_take(p_tradie, p_claim_id, l.credit_cost, p_metadata,
                  'DEBIT|' || l.credit_cost || p_fingerprint_after_cost, p_now);
  IF paid.outcome <> 'OK' THEN
    UPDATE bl_leads SET claims = claims - 1 WHERE lead_id = p_lead;
    RETURN bl_claim_rejected(paid.outcome, paid.detail);
  END IF;
  INSERT INTO bl_claims (lead_id, tradie_id, claim_id, seq, credits_used, balance_after, at)
  VALUES (p_lead, p_tradie, p_claim_id, l.claims, l.credit_cost, paid.balance_after, p_now);
  RETURN ROW('OK', NULL, false, p_claim_id, l.credit_cost, paid.balance_after)::bl_claim_result;
END $$;
