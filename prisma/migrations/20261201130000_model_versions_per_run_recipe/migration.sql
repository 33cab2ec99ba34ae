-- One model version per run and recipe (train upserts it, evaluate only adds metrics to it).
-- Earlier writers could leave a second row for the same run and recipe; the newest one is what
-- was served, so it is the one kept. Rows without a run (old `recs evaluate` calls) stay.
DELETE FROM "model_versions" m
 USING "model_versions" newer
 WHERE m."run_id" IS NOT NULL
   AND newer."run_id" = m."run_id"
   AND newer."recipe" = m."recipe"
   AND newer."id" > m."id";

CREATE UNIQUE INDEX "model_versions_run_id_recipe_key" ON "model_versions"("run_id", "recipe");
