-- The sql baseline's helper queries become PL/pgSQL, whose plans each connection caches.
--
-- A LANGUAGE sql function that PostgreSQL cannot inline (one with a FROM, called from PL/pgSQL or
-- from a query's FROM) is planned again on every call. The account and lead reads, the replay
-- check of every claim (twice per claim) and the open-hold count of every change paid that
-- planning each time. Same signatures, same results: no row is a NULL result, as before.

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

CREATE OR REPLACE FUNCTION bl_hold_counts(p_account TEXT, p_now TIMESTAMPTZ,
                                          OUT live INT, OUT due_reserved BIGINT)
LANGUAGE plpgsql AS $$
BEGIN
  SELECT (count(*) FILTER (WHERE expires_at > p_now))::INT,
         coalesce(sum(amount) FILTER (WHERE expires_at <= p_now), 0)::BIGINT
    INTO live, due_reserved
  FROM bl_holds WHERE account_id = p_account AND ended IS NULL;
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

CREATE OR REPLACE FUNCTION bl_claim_replay(p_lead TEXT, p_tradie TEXT)
RETURNS bl_claim_result LANGUAGE plpgsql AS $$
BEGIN
  RETURN (
    SELECT ROW('OK', NULL, true, claim_id, credits_used, balance_after)::bl_claim_result
    FROM bl_claims WHERE lead_id = p_lead AND tradie_id = p_tradie);
END $$;
