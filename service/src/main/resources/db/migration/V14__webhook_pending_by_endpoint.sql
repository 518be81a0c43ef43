-- Whether an endpoint is owed a pending delivery, asked by the dispatcher for every page: it tries
-- an endpoint with nothing pending itself and leaves one with a backlog to the deliverer's retries
-- (docs/design.md, "Webhooks"). Only pending rows are indexed, so delivered history costs nothing.
-- A delivery the dispatcher's first attempt ended (DELIVERED, or FAILED) is written with
-- an empty event_json: it is never sent again.
CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (endpoint_id)
  WHERE status = 'PENDING';
