-- A cache batch carries its own provenance: the model version of each recipe whose output it
-- serves ({recipe: model_versions.id}) and a digest of those models' parameters.
ALTER TABLE "cache_batches" ADD COLUMN "model_versions" JSONB NOT NULL DEFAULT '{}';
ALTER TABLE "cache_batches" ADD COLUMN "params_digest" TEXT;
