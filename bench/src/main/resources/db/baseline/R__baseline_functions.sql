-- The SQL baseline's functions (`--engine sql`), every one as it runs. Flyway applies this
-- repeatable migration after V1__baseline_tables.sql and again whenever the file changes, so a
-- function is changed here, in place. CREATE OR REPLACE cannot change a function's result type,
-- OUT parameters or parameter names: for that, DROP FUNCTION IF EXISTS it above its new version.
-- (bl_ledger_append_only, the ledger's trigger function, is in V1 with its trigger.)
--
-- Each request is one call, one round trip, one transaction. The functions run in the caller's
-- autocommit transaction under READ COMMITTED; a volatile PL/pgSQL function takes a fresh snapshot
-- per statement, so a statement after a row lock wait sees what the lock holder committed.
-- Rejections are results ('INSUFFICIENT_CREDITS', …), not exceptions.
--
-- Every helper that reads a table is PL/pgSQL, whose plans each connection caches. A LANGUAGE sql
-- function that PostgreSQL cannot inline (one with a FROM, called from PL/pgSQL or from a query's
-- FROM) is planned again on every call, and the account and lead reads, the replay check of every
-- claim (twice per claim) and the open-hold count of every change paid that planning each time.
--
-- A change reads its account's open holds once. A hot account's open-hold index carries every hold
-- ended since the last vacuum, and each scan of it walks those entries under the account's row
-- lock. One scan (bl_hold_counts) finds what is due and how many are live; expiries are recorded
-- only when some are due; and a change answers from the account row, whose reserved counter is the
-- live holds once the due ones are recorded, with only the hold it names (bl_change_view).

CREATE OR REPLACE FUNCTION bl_micros(ts TIMESTAMPTZ) RETURNS BIGINT LANGUAGE sql IMMUTABLE AS $$
  SELECT (extract(epoch FROM ts) * 1000000)::BIGINT
$$;

CREATE OR REPLACE FUNCTION bl_rejected(p_outcome TEXT, p_detail TEXT) RETURNS bl_account_result
LANGUAGE sql IMMUTABLE AS $$
  SELECT ROW(p_outcome, p_detail, false, NULL, NULL, NULL, NULL, NULL)::bl_account_result
$$;

-- The account as clients see it at p_now, with the request's outcome.
CREATE OR REPLACE FUNCTION bl_account_view(
  p_account TEXT, p_now TIMESTAMPTZ, p_outcome TEXT, p_detail TEXT, p_replayed BOOLEAN,
  p_balance_after BIGINT) RETURNS bl_account_result LANGUAGE plpgsql AS $$
BEGIN
  RETURN (
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
    WHERE a.account_id = p_account);
END $$;

-- How many open holds are live at p_now, and the credits held by those past their expiry.
CREATE OR REPLACE FUNCTION bl_hold_counts(p_account TEXT, p_now TIMESTAMPTZ,
                                          OUT live INT, OUT due_reserved BIGINT)
LANGUAGE plpgsql AS $$
BEGIN
  SELECT (count(*) FILTER (WHERE expires_at > p_now))::INT,
         coalesce(sum(amount) FILTER (WHERE expires_at <= p_now), 0)::BIGINT
    INTO live, due_reserved
  FROM bl_holds WHERE account_id = p_account AND ended IS NULL;
END $$;

-- A change's answer: the account row, and p_hold among its holds if that hold is live. Only right
-- after the change's due expiries were recorded: then the row's reserved is the live holds.
CREATE OR REPLACE FUNCTION bl_change_view(
  p_account TEXT, p_now TIMESTAMPTZ, p_balance_after BIGINT, p_hold TEXT)
RETURNS bl_account_result LANGUAGE plpgsql AS $$
BEGIN
  RETURN (
    SELECT ROW('OK', NULL, false, coalesce(p_balance_after, a.balance), a.balance, a.reserved,
               a.version,
               coalesce((SELECT jsonb_build_array(jsonb_build_object(
                                  'id', h.hold_id, 'amount', h.amount,
                                  'expiresAt', bl_micros(h.expires_at)))
                         FROM bl_holds h
                         WHERE h.account_id = p_account AND h.hold_id = p_hold
                           AND h.ended IS NULL AND h.expires_at > p_now),
                        '[]'::JSONB))::bl_account_result
    FROM bl_accounts a
    WHERE a.account_id = p_account);
END $$;

-- Appends one ledger row and moves the account's counters with it; the caller holds the row lock.
CREATE OR REPLACE FUNCTION bl_append(
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

-- Records the EXPIRE of every due hold, in expiry order, as the actor does before any change.
CREATE OR REPLACE FUNCTION bl_expire_due(p_account TEXT, p_now TIMESTAMPTZ) RETURNS BOOLEAN
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
CREATE OR REPLACE FUNCTION bl_replay(p_account TEXT, p_tx TEXT, p_fingerprint TEXT, p_now TIMESTAMPTZ)
RETURNS bl_account_result LANGUAGE plpgsql AS $$
DECLARE
  seen TEXT;
  seen_after BIGINT;
BEGIN
  -- A repeat is answered with the balance right after the transaction itself (its opening row),
  -- also for a hold that has ended since, as the rulebook answers it.
  SELECT fingerprint, balance_after INTO seen, seen_after FROM bl_ledger
   WHERE account_id = p_account AND transaction_id = p_tx AND opens;
  IF NOT FOUND THEN
    RETURN bl_rejected(NULL, NULL);
  END IF;
  IF seen IS DISTINCT FROM p_fingerprint THEN
    RETURN bl_rejected('IDEMPOTENCY_CONFLICT',
                       'transaction ' || p_tx || ' was used with another request');
  END IF;
  RETURN bl_account_view(p_account, p_now, 'OK', NULL, true, seen_after);
END $$;

CREATE OR REPLACE FUNCTION bl_credit(
  p_account TEXT, p_tx TEXT, p_amount BIGINT, p_metadata JSONB, p_fingerprint TEXT,
  p_now TIMESTAMPTZ) RETURNS bl_account_result LANGUAGE plpgsql AS $$
DECLARE
  balance_now BIGINT;
  r bl_account_result;
  after BIGINT;
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
  after := bl_append(p_account, p_tx, 'CREDIT', p_amount, p_amount, 0, p_now, p_metadata,
                     p_fingerprint, NULL);
  RETURN bl_change_view(p_account, p_now, after, NULL);
END $$;

-- A debit without the view: what a claim needs. balance_after is set when accepted.
CREATE OR REPLACE FUNCTION bl_take(
  p_account TEXT, p_tx TEXT, p_amount BIGINT, p_metadata JSONB, p_fingerprint TEXT,
  p_now TIMESTAMPTZ) RETURNS bl_account_result LANGUAGE plpgsql AS $$
DECLARE
  a RECORD;
  held RECORD;
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
  SELECT * INTO held FROM bl_hold_counts(p_account, p_now);
  available := a.balance - a.reserved + held.due_reserved;
  IF p_amount > available THEN
    RETURN bl_rejected('INSUFFICIENT_CREDITS',
                       'debit of ' || p_amount || ' exceeds available ' || available);
  END IF;
  IF held.due_reserved > 0 THEN
    PERFORM bl_expire_due(p_account, p_now);
  END IF;
  r := bl_rejected('OK', NULL);
  r.balance_after := bl_append(p_account, p_tx, 'DEBIT', p_amount, -p_amount, 0, p_now,
                               p_metadata, p_fingerprint, NULL);
  RETURN r;
END $$;

CREATE OR REPLACE FUNCTION bl_debit(
  p_account TEXT, p_tx TEXT, p_amount BIGINT, p_metadata JSONB, p_fingerprint TEXT,
  p_now TIMESTAMPTZ) RETURNS bl_account_result LANGUAGE plpgsql AS $$
DECLARE
  r bl_account_result;
BEGIN
  r := bl_take(p_account, p_tx, p_amount, p_metadata, p_fingerprint, p_now);
  IF r.outcome <> 'OK' OR r.replayed THEN
    RETURN r;  -- a rejection, or a replay that already carries the view
  END IF;
  RETURN bl_change_view(p_account, p_now, r.balance_after, NULL);
END $$;

CREATE OR REPLACE FUNCTION bl_reserve(
  p_account TEXT, p_hold TEXT, p_amount BIGINT, p_expires_at TIMESTAMPTZ, p_metadata JSONB,
  p_fingerprint TEXT, p_holds_max INT, p_now TIMESTAMPTZ) RETURNS bl_account_result
LANGUAGE plpgsql AS $$
DECLARE
  a RECORD;
  held RECORD;
  available BIGINT;
  r bl_account_result;
  after BIGINT;
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
  SELECT * INTO held FROM bl_hold_counts(p_account, p_now);
  IF held.live >= p_holds_max THEN
    RETURN bl_rejected('TOO_MANY_HOLDS',
                       'an account holds at most ' || p_holds_max || ' reservations');
  END IF;
  available := a.balance - a.reserved + held.due_reserved;
  IF p_amount > available THEN
    RETURN bl_rejected('INSUFFICIENT_CREDITS',
                       'reservation of ' || p_amount || ' exceeds available ' || available);
  END IF;
  IF held.due_reserved > 0 THEN
    PERFORM bl_expire_due(p_account, p_now);
  END IF;
  INSERT INTO bl_holds (account_id, hold_id, amount, expires_at)
  VALUES (p_account, p_hold, p_amount, p_expires_at);
  after := bl_append(p_account, p_hold, 'RESERVE', p_amount, 0, p_amount, p_now, p_metadata,
                     p_fingerprint, p_expires_at);
  RETURN bl_change_view(p_account, p_now, after, p_hold);
END $$;

-- Capture (p_end 'CAPTURED': the hold becomes a debit in this one step) or release ('RELEASED').
CREATE OR REPLACE FUNCTION bl_end_hold(p_account TEXT, p_hold TEXT, p_end TEXT, p_now TIMESTAMPTZ)
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
    RETURN bl_change_view(p_account, p_now, ended_balance, NULL);
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

CREATE OR REPLACE FUNCTION bl_lead_view(
  p_lead TEXT, p_outcome TEXT, p_detail TEXT, p_replayed BOOLEAN)
RETURNS bl_lead_result LANGUAGE plpgsql AS $$
BEGIN
  RETURN (
    SELECT ROW(p_outcome, p_detail, p_replayed, l.credit_cost, l.max_claims, l.claims,
               l.expires_at, l.closed_at,
               (SELECT coalesce(jsonb_agg(jsonb_build_object('tradieId', c.tradie_id,
                                                             'claimId', c.claim_id,
                                                             'at', bl_micros(c.at))
                                          ORDER BY c.seq), '[]'::JSONB)
                  FROM bl_claims c WHERE c.lead_id = l.lead_id))::bl_lead_result
    FROM bl_leads l WHERE l.lead_id = p_lead);
END $$;

CREATE OR REPLACE FUNCTION bl_lead_rejected(p_outcome TEXT, p_detail TEXT) RETURNS bl_lead_result
LANGUAGE sql IMMUTABLE AS $$
  SELECT ROW(p_outcome, p_detail, false, NULL, NULL, NULL, NULL, NULL, NULL)::bl_lead_result
$$;

CREATE OR REPLACE FUNCTION bl_create_lead(
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

CREATE OR REPLACE FUNCTION bl_close_lead(p_lead TEXT, p_now TIMESTAMPTZ) RETURNS bl_lead_result
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

CREATE OR REPLACE FUNCTION bl_claim_rejected(p_outcome TEXT, p_detail TEXT) RETURNS bl_claim_result
LANGUAGE sql IMMUTABLE AS $$
  SELECT ROW(p_outcome, p_detail, false, NULL, NULL, NULL)::bl_claim_result
$$;

CREATE OR REPLACE FUNCTION bl_claim_replay(p_lead TEXT, p_tradie TEXT)
RETURNS bl_claim_result LANGUAGE plpgsql AS $$
BEGIN
  RETURN (
    SELECT ROW('OK', NULL, true, claim_id, credits_used, balance_after)::bl_claim_result
    FROM bl_claims WHERE lead_id = p_lead AND tradie_id = p_tradie);
END $$;

-- A claim's id, exactly as Ids.claimId makes it: 'clm_' and the first 130 bits of the SHA-256 of
-- the lead id, a zero byte and the tradie id, in base32 (a-z, 2-7), five bits a character.
CREATE OR REPLACE FUNCTION bl_claim_id(p_lead TEXT, p_tradie TEXT) RETURNS TEXT
LANGUAGE plpgsql IMMUTABLE AS $$
DECLARE
  d BYTEA := sha256(convert_to(p_lead, 'UTF8') || '\x00'::BYTEA || convert_to(p_tradie, 'UTF8'));
  id TEXT := 'clm_';
  b INT;
BEGIN
  FOR i IN 0..25 LOOP
    b := 5 * i;
    -- The two bytes the five bits start in, the five bits shifted to the bottom.
    id := id || substr('abcdefghijklmnopqrstuvwxyz234567',
                       ((((get_byte(d, b / 8) << 8) | get_byte(d, b / 8 + 1)) >> (11 - b % 8)) & 31)
                         + 1, 1);
  END LOOP;
  RETURN id;
END $$;

-- The claim debit's metadata, as ClaimDebit.metadata makes it.
CREATE OR REPLACE FUNCTION bl_claim_metadata(p_lead TEXT, p_claim_id TEXT) RETURNS JSONB
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object('leadId', p_lead, 'claimId', p_claim_id, 'reason', 'lead claim')
$$;

-- The claim debit's fingerprint, as ClaimDebit.fingerprint makes it (Fingerprints.debit: the type,
-- the amount, no extra, the metadata in key order as a Java map prints it).
CREATE OR REPLACE FUNCTION bl_claim_fingerprint(p_cost BIGINT, p_lead TEXT, p_claim_id TEXT)
RETURNS TEXT LANGUAGE sql IMMUTABLE AS $$
  SELECT 'DEBIT|' || p_cost || '||{claimId=' || p_claim_id || ', leadId=' || p_lead
         || ', reason=lead claim}'
$$;

-- A claim in one transaction: take a slot with a conditional UPDATE (a full lead is refused
-- without waiting for its row lock once the refusal is committed), pay with the claim id as the
-- debit's transaction id, record the claim. A refused payment gives the slot straight back.
-- The claim id and the debit's metadata and fingerprint are built here, once the claim has its
-- slot, as the actor lead builds them: a refused or repeated claim builds none of them.
DROP FUNCTION IF EXISTS bl_claim(TEXT, TEXT, TEXT, JSONB, TEXT, TIMESTAMPTZ);
CREATE OR REPLACE FUNCTION bl_claim(p_lead TEXT, p_tradie TEXT, p_now TIMESTAMPTZ)
RETURNS bl_claim_result LANGUAGE plpgsql AS $$
DECLARE
  won bl_claim_result;
  l RECORD;
  paid bl_account_result;
  id TEXT;
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
  id := bl_claim_id(p_lead, p_tradie);
  paid := bl_take(p_tradie, id, l.credit_cost, bl_claim_metadata(p_lead, id),
                  bl_claim_fingerprint(l.credit_cost, p_lead, id), p_now);
  IF paid.outcome <> 'OK' THEN
    UPDATE bl_leads SET claims = claims - 1 WHERE lead_id = p_lead;
    RETURN bl_claim_rejected(paid.outcome, paid.detail);
  END IF;
  INSERT INTO bl_claims (lead_id, tradie_id, claim_id, seq, credits_used, balance_after, at)
  VALUES (p_lead, p_tradie, id, l.claims, l.credit_cost, paid.balance_after, p_now);
  RETURN ROW('OK', NULL, false, id, l.credit_cost, paid.balance_after)::bl_claim_result;
END $$;
