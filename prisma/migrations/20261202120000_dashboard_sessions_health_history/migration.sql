-- Dashboard sessions: a signed-in browser holds a random token in an HttpOnly cookie; only its
-- sha256 is stored. A session carries the role of the API key it was made from and dies with it
-- (revoking the key ends its sessions; deleting the key deletes them).
CREATE TABLE "dashboard_sessions" (
    "token_hash" VARCHAR(128) NOT NULL,
    "api_key_id" INTEGER NOT NULL,
    "role" VARCHAR(20) NOT NULL,
    "csrf_token" VARCHAR(64) NOT NULL,
    "created_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(6) NOT NULL,
    CONSTRAINT "dashboard_sessions_pkey" PRIMARY KEY ("token_hash"),
    CONSTRAINT "dashboard_sessions_api_key_id_fkey" FOREIGN KEY ("api_key_id") REFERENCES "api_keys"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "dashboard_sessions_expires_at_idx" ON "dashboard_sessions"("expires_at");

-- Coverage and freshness over time, one row each time the alert rules read them (after every run
-- and on the alerts schedule), so the dashboard can plot them.
CREATE TABLE "health_snapshots" (
    "id" SERIAL NOT NULL,
    "taken_at" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "coverage_percent" DOUBLE PRECISION NOT NULL,
    "freshness_days" DOUBLE PRECISION,
    "batch_version" INTEGER NOT NULL,
    "ordering_customers" INTEGER NOT NULL,
    "customers_with_recommendations" INTEGER NOT NULL,
    CONSTRAINT "health_snapshots_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "health_snapshots_taken_at_idx" ON "health_snapshots"("taken_at");
