-- When a run's row last changed (any stage patch or status change). The stuck-run sweep only
-- judges a run whose row has been quiet for its grace period, so the instant between "stage
-- done" and "next stage enqueued" is never mistaken for a lost job.
ALTER TABLE "pipeline_runs" ADD COLUMN "updated_at" TIMESTAMPTZ(6) NOT NULL DEFAULT now();
