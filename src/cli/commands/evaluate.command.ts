// `recs evaluate`: offline metrics of one recipe of a run's model, asked of the configured engine
// (the built-in one retrains with the very parameters the run trains with; AWS reports its
// solution metrics), printed under AWS Personalize's names and stored on the run's model version.
import { InvalidArgumentError, type Command } from 'commander';
import { createEngine } from '../../app/create-engine';
import type { Database } from '../../db/database';
import { ModelVersionStore } from '../../engine/model-version-store';
import {
  isRecipe,
  RECIPES,
  runLayout,
  SPLITS,
  type ModelEvaluation,
  type RecipeName,
  type SplitKind,
  type TrainingEngine,
} from '../../engine/training-engine';
import type { Logger } from '../../infra/logger';
import { RunStore } from '../../pipeline/run-store';
import { createObjectStore } from '../../storage/create-object-store';
import type { ObjectStore } from '../../storage/object-store';
import { withApp } from './app-context';
import { positiveInt } from './arg-parsers';

export interface EvaluateRunDeps {
  db: Database;
  engine: TrainingEngine;
  store: ObjectStore;
  logger: Logger;
  progress(message: string): void;
}

export interface EvaluateRunOptions {
  recipe: RecipeName;
  split: SplitKind;
  k: number;
  /** Default: the newest run that trained the recipe. */
  run?: number;
}

/** Evaluates the recipe's model of the run and stores the figures on that run's model version. */
export async function evaluateRun(
  deps: EvaluateRunDeps,
  opts: EvaluateRunOptions,
): Promise<{ runId: number; versionId: number; evaluation: ModelEvaluation }> {
  const versions = new ModelVersionStore(deps.db);
  const runId = opts.run ?? (await versions.newestRunOf(opts.recipe));
  if (runId === null) throw new Error(`no run has trained ${opts.recipe} yet; run the pipeline first`);
  const run = await new RunStore(deps.db).get(runId);
  if (!run) throw new Error(`run ${runId} does not exist`);
  const trained = await versions.trainedOf(runId, [opts.recipe]);
  const ctx = {
    runId,
    mode: run.mode,
    recipes: [opts.recipe],
    store: deps.store,
    layout: runLayout(runId),
    logger: deps.logger.child({ runId }),
    progress: (_percent: number, message: string) => {
      deps.progress(message);
      return Promise.resolve();
    },
  };
  deps.progress(
    `evaluating ${opts.recipe} of run ${runId} with the ${deps.engine.name} engine (split ${opts.split}, k ${opts.k})`,
  );
  const { evaluations } = await deps.engine.evaluate(ctx, { split: opts.split, k: opts.k, trained });
  const evaluation = evaluations.find((e) => e.recipe === opts.recipe);
  if (!evaluation) throw new Error(`the ${deps.engine.name} engine returned no figures for ${opts.recipe}`);
  const versionId = await versions.saveEvaluation(runId, evaluation);
  return { runId, versionId, evaluation };
}

export function registerEvaluate(program: Command): void {
  program
    .command('evaluate')
    .description(
      "offline metrics of a run's model of a recipe (AWS's names, plus recall and MAP at k), stored on its model version",
    )
    .requiredOption('--recipe <recipe>', `one of ${RECIPES.join(', ')}`, (v: string) => {
      if (!isRecipe(v)) throw new InvalidArgumentError(`must be one of ${RECIPES.join(', ')}`);
      return v;
    })
    .option(
      '--run <id>',
      'the run whose model to evaluate (default: the newest run that trained the recipe)',
      positiveInt,
    )
    .option(
      '--split <split>',
      "users (AWS's: 10% of customers, newest 10% of their events held out) | time | random",
      (v: string) => {
        if (!(SPLITS as readonly string[]).includes(v))
          throw new InvalidArgumentError(`must be one of ${SPLITS.join(', ')}`);
        return v as SplitKind;
      },
      'users' as SplitKind,
    )
    .option('--k <k>', 'cut-off for recall_at_k and map_at_k', positiveInt, 10)
    .action(async (opts: EvaluateRunOptions) => {
      await withApp(async ({ config, logger, db }) => {
        const engine = createEngine(config, { db, logger });
        const store = createObjectStore(config);
        const { versionId, evaluation } = await evaluateRun(
          { db, engine, store, logger, progress: (m) => process.stderr.write(`${m}...\n`) },
          opts,
        );
        const width = Math.max(...Object.keys(evaluation.metrics).map((n) => n.length));
        for (const [name, value] of Object.entries(evaluation.metrics)) {
          process.stdout.write(`${name.padEnd(width)}  ${Number.isInteger(value) ? value : value.toFixed(4)}\n`);
        }
        process.stdout.write(`stored on model version ${versionId}\n`);
      });
    });
}
