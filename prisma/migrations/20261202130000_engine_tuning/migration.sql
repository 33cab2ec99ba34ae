-- The engine's self-tuning: what a model version's parameters came from (tuned on this run's
-- validation window, reused from an earlier run's tuning, or untuned) with the validation figures
-- and the search log; and whether a run was asked to re-tune (schedule or admin).
ALTER TABLE "model_versions" ADD COLUMN "tuning" JSONB;
ALTER TABLE "pipeline_runs" ADD COLUMN "retune" BOOLEAN NOT NULL DEFAULT false;
