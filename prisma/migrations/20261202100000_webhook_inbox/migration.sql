-- The delivery row is also the webhook inbox: the raw body is written in the same INSERT as the
-- dedup key, so a 200 to Shopify means the work is in PostgreSQL whatever Redis does. `round`
-- names the queue job of the current attempt series (a replay starts a new one); `attempts`
-- counts processing attempts over all rounds; `updated_at` lets the sweep find rows whose job
-- should exist by now.
ALTER TABLE "webhook_deliveries"
    ADD COLUMN "body" TEXT,
    ADD COLUMN "attempts" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "round" INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP;

-- CreateIndex
CREATE INDEX "webhook_deliveries_status_updated_at_idx" ON "webhook_deliveries"("status", "updated_at");
