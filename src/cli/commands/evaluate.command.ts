// `recs evaluate`: offline metrics of one recipe of the built-in engine on an interactions file,
// printed under AWS Personalize's names and stored on the model version when a database answers.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { InvalidArgumentError, type Command } from 'commander';
import { createDatabase } from '../../db/database';
import { evaluateRecipe, SPLITS, type SplitKind } from '../../engine/local/evaluation';
import { paramsFromConfig } from '../../engine/local/engine-params';
import { saveEvaluationMetrics } from '../../engine/local/model-version-metrics';
import { isRecipe, RECIPES, type RecipeName } from '../../engine/training-engine';
import { DirectoryObjectStore } from '../../storage/directory-object-store';
import { loadConfigOrExit } from '../app-context';
import { positiveInt } from '../arg-parsers';

const RUN_EXPORT = /^runs\/(\d+)\/datasets\/interactions\.csv$/;

/** The newest run's interactions export in the object store directory, if any. */
export async function newestExport(store: DirectoryObjectStore): Promise<{ key: string; runId: number } | null> {
  let best: { key: string; runId: number } | null = null;
  for (const o of await store.list('runs/')) {
    const m = RUN_EXPORT.exec(o.key);
    if (m && (!best || Number(m[1]) > best.runId)) best = { key: o.key, runId: Number(m[1]) };
  }
  return best;
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description("offline metrics of a recipe (AWS's names, plus recall and MAP at k), stored per model version")
    .requiredOption('--recipe <recipe>', `one of ${RECIPES.join(', ')}`, (v: string) => {
      if (!isRecipe(v)) throw new InvalidArgumentError(`must be one of ${RECIPES.join(', ')}`);
      return v;
    })
    .option('--split <split>', "users (AWS's: 10% of customers, newest 10% of their events held out) | time | random", (v: string) => {
      if (!(SPLITS as readonly string[]).includes(v)) throw new InvalidArgumentError(`must be one of ${SPLITS.join(', ')}`);
      return v as SplitKind;
    }, 'users' as SplitKind)
    .option('--k <k>', 'cut-off for recall_at_k and map_at_k', positiveInt, 10)
    .option('--interactions <file>', "interactions CSV (default: the newest run's export in OBJECT_STORE_DIR)")
    .action(async (opts: { recipe: RecipeName; split: SplitKind; k: number; interactions?: string }) => {
      const config = loadConfigOrExit();
      let input: Readable;
      let source: string;
      let runId: number | undefined;
      if (opts.interactions) {
        input = createReadStream(opts.interactions);
        source = opts.interactions;
      } else {
        const store = new DirectoryObjectStore(config.objectStore.dir);
        const found = await newestExport(store);
        if (!found) throw new Error(`no run export under ${config.objectStore.dir}/runs/; pass --interactions FILE`);
        input = await store.get(found.key);
        source = store.uri(found.key);
        runId = found.runId;
      }
      const params = paramsFromConfig(config.engine);
      process.stderr.write(`evaluating ${opts.recipe} on ${source} (split ${opts.split}, k ${opts.k})...\n`);
      const metrics = await evaluateRecipe({ interactions: input, recipe: opts.recipe, split: opts.split, k: opts.k, params });
      const width = Math.max(...Object.keys(metrics).map((n) => n.length));
      for (const [name, value] of Object.entries(metrics)) {
        process.stdout.write(`${name.padEnd(width)}  ${Number.isInteger(value) ? value : value.toFixed(4)}\n`);
      }
      const db = createDatabase(config, { max: 1 });
      try {
        const id = await saveEvaluationMetrics(db.prisma, {
          runId,
          recipe: opts.recipe,
          params: { ...params },
          metrics,
          evaluation: { split: opts.split, k: opts.k, source },
        });
        process.stdout.write(`stored on model version ${id}\n`);
      } catch (err) {
        // The metrics are printed above; a missing database only means they are not stored.
        const reason = (err as Error).message.split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? String(err);
        process.stderr.write(`metrics not stored (database unreachable or not migrated): ${reason}\n`);
      } finally {
        await db.close();
      }
    });
}
