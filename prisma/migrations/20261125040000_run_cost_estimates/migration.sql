-- CreateTable
CREATE TABLE "run_cost_estimates" (
    "run_id" INTEGER NOT NULL,
    "engine" VARCHAR(20) NOT NULL,
    "training_hours" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "batch_inputs" INTEGER NOT NULL DEFAULT 0,
    "ingested_bytes" BIGINT NOT NULL DEFAULT 0,
    "stored_bytes" BIGINT NOT NULL DEFAULT 0,
    "total_usd" DOUBLE PRECISION NOT NULL,
    "breakdown" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_cost_estimates_pkey" PRIMARY KEY ("run_id")
);
