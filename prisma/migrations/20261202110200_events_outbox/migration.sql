-- The events table is the outbox of forwarding to Personalize: an event waits (forwarded_at NULL)
-- until it is sent; one Personalize refused as invalid is quarantined with the reason instead of
-- being retried for ever. The index serves the outbox scan (oldest unforwarded first).
ALTER TABLE "events" ADD COLUMN "forward_error" TEXT;
CREATE INDEX "events_forwarded_at_occurred_at_idx" ON "events" ("forwarded_at", "occurred_at");
