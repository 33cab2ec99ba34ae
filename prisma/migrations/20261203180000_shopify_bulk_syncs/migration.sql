-- A first sync through Shopify's bulk operations (orders, then products): the operation being awaited or streamed, and how
-- many lines of its JSONL result are applied, so a restarted job polls the same operation or skips
-- the applied lines instead of starting over.
CREATE TABLE "shopify_bulk_syncs" (
    "shop" VARCHAR(255) NOT NULL,
    "operation_id" VARCHAR(255) NOT NULL,
    "status" VARCHAR(20) NOT NULL DEFAULT 'running',
    "phase" VARCHAR(20) NOT NULL DEFAULT 'orders',
    "lines_applied" BIGINT NOT NULL DEFAULT 0,
    "orders_applied" INTEGER NOT NULL DEFAULT 0,
    "products_applied" INTEGER NOT NULL DEFAULT 0,
    "max_updated_at" TIMESTAMPTZ(6),
    "error" TEXT,
    "started_at" TIMESTAMPTZ(6) NOT NULL,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shopify_bulk_syncs_pkey" PRIMARY KEY ("shop")
);
