-- Experiments: A/B tests of recommendation strategies on serving surfaces. The variants (key,
-- name, traffic share, strategy) are one jsonb list: they are written once at creation and read
-- whole by every gateway, never queried one by one. Status moves DRAFT -> RUNNING <-> PAUSED ->
-- STOPPED | SHIPPED; experiment_history keeps every move.
CREATE TABLE "experiments" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "description" TEXT,
    "status" VARCHAR(20) NOT NULL DEFAULT 'DRAFT',
    "surfaces" TEXT[],
    "variants" JSONB NOT NULL,
    "control_key" VARCHAR(40) NOT NULL,
    "attribution_window_days" INTEGER NOT NULL DEFAULT 7,
    "planned_customers_per_variant" INTEGER NOT NULL DEFAULT 10000,
    "shipped_variant" VARCHAR(40),
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "started_at" TIMESTAMPTZ(6),
    "ended_at" TIMESTAMPTZ(6),
    "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "experiments_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "experiments_status_idx" ON "experiments"("status");

CREATE TABLE "experiment_history" (
    "id" BIGSERIAL NOT NULL,
    "experiment_id" INTEGER NOT NULL,
    "action" VARCHAR(20) NOT NULL,
    "from_status" VARCHAR(20),
    "to_status" VARCHAR(20) NOT NULL,
    "note" TEXT,
    "at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "experiment_history_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "experiment_history_experiment_id_idx" ON "experiment_history"("experiment_id");

-- One row per assigned subject (a customer id, or a session id for an anonymous visitor): the
-- exposure counts are aggregated in each gateway's memory and added here in batches.
CREATE TABLE "experiment_subjects" (
    "experiment_id" INTEGER NOT NULL,
    "subject_id" VARCHAR(255) NOT NULL,
    "variant" VARCHAR(40) NOT NULL,
    "exposures" BIGINT NOT NULL DEFAULT 0,
    "first_exposed_at" TIMESTAMPTZ(6) NOT NULL,
    "last_exposed_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "experiment_subjects_pkey" PRIMARY KEY ("experiment_id","subject_id")
);

-- The products each subject was shown, for last-touch attribution of orders.
CREATE TABLE "experiment_exposed_items" (
    "experiment_id" INTEGER NOT NULL,
    "subject_id" VARCHAR(255) NOT NULL,
    "product_id" VARCHAR(255) NOT NULL,
    "last_exposed_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "experiment_exposed_items_pkey" PRIMARY KEY ("experiment_id","subject_id","product_id")
);

-- Outcomes attributed to a variant: events (view, click, cart, purchase) and order lines.
-- source_ref (`event:<event_id>`, `line:<line_key>`) makes each stored exactly once.
CREATE TABLE "experiment_outcomes" (
    "experiment_id" INTEGER NOT NULL,
    "source_ref" VARCHAR(600) NOT NULL,
    "variant" VARCHAR(40) NOT NULL,
    "subject_id" VARCHAR(255) NOT NULL,
    "kind" VARCHAR(50) NOT NULL,
    "product_id" VARCHAR(255),
    "value" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "attribution" VARCHAR(20) NOT NULL,
    "occurred_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "experiment_outcomes_pkey" PRIMARY KEY ("experiment_id","source_ref")
);

CREATE INDEX "experiment_outcomes_experiment_id_subject_id_idx" ON "experiment_outcomes"("experiment_id", "subject_id");

-- Events carrying an experiment's recommendationId are found by it.
CREATE INDEX "events_recommendation_id_idx" ON "events"("recommendation_id");
