-- The sql baseline reads an account's open holds once per change, not four or five times.
--
-- A hot account's open-hold index carries every hold ended since the last vacuum, and each scan
-- of it walks those entries under the account's row lock. The functions of V3 scanned it for the
-- due amount, again to record expiries, again to count the live holds (reservations), and again
-- to list every open hold in the answer, which a change's answer no longer shows. Now one scan
-- finds what is due and how many are live; expiries are recorded only when some are due; and a
-- change answers from the account row, whose reserved counter is the live holds once the due ones
-- are recorded, with only the hold it names (a reservation's, for its expiry).

-- How many open holds are live at p_now, and the credits held by those past their expiry.
CREATE FUNCTION bl_hold_counts(p_account TEXT, p_now TIMESTAMPTZ,
                               OUT live INT, OUT due_reserved BIGINT)
LANGUAGE sql AS $$
  SELECT (count(*) FILTER (WHERE expires_at > p_now))::INT,
         coalesce(sum(amount) FILTER (WHERE expires_at <= p_now), 0)::BIGINT
  FROM bl_holds WHERE account_id = p_account AND ended IS NULL
$$;

-- A change's answer: the account row, and p_hold among its holds if that hold is live. Only right
-- after the change's due expiries were recorded: then the row's reserved is the live holds.
CREATE FUNCTION bl_change_view(
  p_account TEXT, p_now TIMESTAMPTZ, p_balance_after BIGINT, p_hold TEXT)
RETURNS bl_account_result LANGUAGE sql AS $$
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
  WHERE a.account_id = p_account
$$;

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
