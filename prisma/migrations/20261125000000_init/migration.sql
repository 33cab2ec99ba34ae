-- CreateTable
CREATE TABLE "customers" (
    "id" VARCHAR(255) NOT NULL,
    "city" VARCHAR(255),
    "province" VARCHAR(255),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "customers_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "products" (
    "id" VARCHAR(255) NOT NULL,
    "name" TEXT,
    "category" VARCHAR(255),
    "price" DOUBLE PRECISION,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "products_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" VARCHAR(255) NOT NULL,
    "customer_id" VARCHAR(255) NOT NULL,
    "source" VARCHAR(50) NOT NULL,
    "status" VARCHAR(30) NOT NULL DEFAULT 'placed',
    "ordered_at" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_items" (
    "id" BIGSERIAL NOT NULL,
    "line_key" VARCHAR(512) NOT NULL,
    "order_id" VARCHAR(255) NOT NULL,
    "customer_id" VARCHAR(255) NOT NULL,
    "product_id" VARCHAR(255) NOT NULL,
    "quantity" INTEGER NOT NULL,
    "unit_price" DOUBLE PRECISION,
    "event_type" VARCHAR(50) NOT NULL DEFAULT 'purchase',
    "event_value" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "occurred_at" TIMESTAMPTZ(6) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "order_items_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "events" (
    "id" BIGSERIAL NOT NULL,
    "event_id" VARCHAR(255) NOT NULL,
    "user_id" VARCHAR(255) NOT NULL,
    "product_id" VARCHAR(255) NOT NULL,
    "event_type" VARCHAR(50) NOT NULL,
    "event_value" DOUBLE PRECISION,
    "occurred_at" TIMESTAMPTZ(6) NOT NULL,
    "recommendation_id" VARCHAR(255),
    "session_id" VARCHAR(255),
    "source" VARCHAR(50) NOT NULL,
    "forwarded_at" TIMESTAMPTZ(6),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "quarantine" (
    "id" BIGSERIAL NOT NULL,
    "source" VARCHAR(100) NOT NULL,
    "file" TEXT NOT NULL,
    "line_number" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "raw" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "quarantine_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "offline_user_recommendations" (
    "user_id" VARCHAR(255) NOT NULL,
    "recommendations" JSONB NOT NULL,
    "recipe_name" VARCHAR(100),
    "updated_at" TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "offline_user_recommendations_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "offline_similar_items" (
    "product_id" VARCHAR(255) NOT NULL,
    "similar_products" JSONB NOT NULL,
    "recipe_name" VARCHAR(100),
    "updated_at" TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "offline_similar_items_pkey" PRIMARY KEY ("product_id")
);

-- CreateTable
CREATE TABLE "offline_item_affinity" (
    "user_id" VARCHAR(255) NOT NULL,
    "item_affinities" JSONB NOT NULL,
    "recipe_name" VARCHAR(100),
    "updated_at" TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "offline_item_affinity_pkey" PRIMARY KEY ("user_id")
);

-- CreateTable
CREATE TABLE "offline_popular_items" (
    "scope" VARCHAR(20) NOT NULL,
    "scope_value" VARCHAR(255) NOT NULL,
    "items" JSONB NOT NULL,
    "recipe_name" VARCHAR(100),
    "updated_at" TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "offline_popular_items_pkey" PRIMARY KEY ("scope","scope_value")
);

-- CreateTable
CREATE TABLE "offline_item_segments" (
    "product_id" VARCHAR(255) NOT NULL,
    "users" JSONB NOT NULL,
    "recipe_name" VARCHAR(100),
    "updated_at" TIMESTAMP(6) DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "offline_item_segments_pkey" PRIMARY KEY ("product_id")
);

-- CreateTable
CREATE TABLE "batch_job_metadata" (
    "job_id" SERIAL NOT NULL,
    "job_name" VARCHAR(255),
    "job_arn" VARCHAR(512),
    "recipe_name" VARCHAR(100),
    "status" VARCHAR(50),
    "started_at" TIMESTAMP(6),
    "completed_at" TIMESTAMP(6),
    "run_id" INTEGER,
    "failure_reason" TEXT,
    CONSTRAINT "batch_job_metadata_pkey" PRIMARY KEY ("job_id")
);

-- CreateTable
CREATE TABLE "pipeline_runs" (
    "id" SERIAL NOT NULL,
    "mode" VARCHAR(10) NOT NULL DEFAULT 'FULL',
    "status" VARCHAR(20) NOT NULL DEFAULT 'queued',
    "trigger" VARCHAR(50) NOT NULL DEFAULT 'manual',
    "engine" VARCHAR(20) NOT NULL,
    "recipes" TEXT[],
    "stages" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(6),
    "finished_at" TIMESTAMPTZ(6),
    CONSTRAINT "pipeline_runs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model_versions" (
    "id" SERIAL NOT NULL,
    "run_id" INTEGER,
    "engine" VARCHAR(20) NOT NULL,
    "recipe" VARCHAR(100) NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "data_snapshot" JSONB NOT NULL DEFAULT '{}',
    "metrics" JSONB,
    "status" VARCHAR(20) NOT NULL DEFAULT 'trained',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "trained_at" TIMESTAMPTZ(6),
    CONSTRAINT "model_versions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cache_batches" (
    "id" SERIAL NOT NULL,
    "run_id" INTEGER,
    "mode" VARCHAR(10) NOT NULL DEFAULT 'FULL',
    "counts" JSONB NOT NULL DEFAULT '{}',
    "loaded_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "cache_batches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "alerts" (
    "id" SERIAL NOT NULL,
    "kind" VARCHAR(50) NOT NULL,
    "severity" VARCHAR(20) NOT NULL DEFAULT 'warning',
    "message" TEXT NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',
    "run_id" INTEGER,
    "raised_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(6),
    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "schedules" (
    "name" VARCHAR(100) NOT NULL,
    "cron" VARCHAR(100) NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "schedules_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "role" VARCHAR(20) NOT NULL,
    "prefix" VARCHAR(16) NOT NULL,
    "key_hash" VARCHAR(128) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(6),
    "last_used_at" TIMESTAMPTZ(6),
    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shopify_sync_state" (
    "shop" VARCHAR(255) NOT NULL,
    "watermark" TIMESTAMPTZ(6),
    "cursor" TEXT,
    "status" VARCHAR(20) NOT NULL DEFAULT 'idle',
    "synced" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "shopify_sync_state_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "webhook_deliveries" (
    "webhook_id" VARCHAR(255) NOT NULL,
    "topic" VARCHAR(100) NOT NULL,
    "shop" VARCHAR(255),
    "status" VARCHAR(20) NOT NULL DEFAULT 'received',
    "error" TEXT,
    "received_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processed_at" TIMESTAMPTZ(6),
    CONSTRAINT "webhook_deliveries_pkey" PRIMARY KEY ("webhook_id")
);

-- CreateIndex
CREATE INDEX "products_category_idx" ON "products"("category");

-- CreateIndex
CREATE INDEX "orders_customer_id_idx" ON "orders"("customer_id");

-- CreateIndex
CREATE INDEX "orders_updated_at_idx" ON "orders"("updated_at");

-- CreateIndex
CREATE UNIQUE INDEX "order_items_line_key_key" ON "order_items"("line_key");

-- CreateIndex
CREATE INDEX "order_items_order_id_idx" ON "order_items"("order_id");

-- CreateIndex
CREATE INDEX "order_items_customer_id_idx" ON "order_items"("customer_id");

-- CreateIndex
CREATE INDEX "order_items_product_id_idx" ON "order_items"("product_id");

-- CreateIndex
CREATE INDEX "order_items_occurred_at_idx" ON "order_items"("occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "events_event_id_key" ON "events"("event_id");

-- CreateIndex
CREATE INDEX "events_user_id_idx" ON "events"("user_id");

-- CreateIndex
CREATE INDEX "events_occurred_at_idx" ON "events"("occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "quarantine_source_file_line_number_key" ON "quarantine"("source", "file", "line_number");

-- CreateIndex
CREATE UNIQUE INDEX "batch_job_metadata_job_name_key" ON "batch_job_metadata"("job_name");

-- CreateIndex
CREATE INDEX "batch_job_metadata_run_id_idx" ON "batch_job_metadata"("run_id");

-- CreateIndex
CREATE INDEX "pipeline_runs_status_idx" ON "pipeline_runs"("status");

-- CreateIndex
CREATE INDEX "model_versions_recipe_idx" ON "model_versions"("recipe");

-- CreateIndex
CREATE INDEX "alerts_kind_resolved_at_idx" ON "alerts"("kind", "resolved_at");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");
