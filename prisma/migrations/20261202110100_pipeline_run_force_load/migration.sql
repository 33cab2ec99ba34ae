-- An admin's decision to load this run's batch even if the load guard would refuse it.
ALTER TABLE "pipeline_runs" ADD COLUMN "force_load" BOOLEAN NOT NULL DEFAULT false;
