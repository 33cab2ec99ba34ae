// Training on Personalize: one solution per recipe (found or created by name), one solution
// version per run (FULL, or UPDATE where the recipe allows it), re-checked through StepResult until
// ACTIVE. The train stage records the models it returns; their metrics come from evaluate.
import {
  CreateSolutionCommand,
  CreateSolutionVersionCommand,
  DescribeSolutionCommand,
  DescribeSolutionVersionCommand,
  ListSolutionVersionsCommand,
} from '@aws-sdk/client-personalize';
import type { EngineContext, RecipeName, StepResult, TrainedModel, TrainResult } from '../engine/training-engine';
import { callAws } from '../aws-sdk/aws-call';
import { requireDatasetGroup, type AwsRuntime } from './aws-engine-deps';
import { AwsEngineError } from '../aws-sdk/aws-engine-error';
import { normalizeStatus } from './personalize-status';
import { names, recipeArn, trainingModeFor } from './personalize-names';

interface RecipeTrainState {
  recipe: RecipeName;
  recipeArn: string;
  trainingMode: 'FULL' | 'UPDATE';
  phase: 'solution' | 'version' | 'done';
  solutionArn?: string;
  versionArn?: string;
  status: string;
  deadlineAt: number;
  model?: TrainedModel;
}

interface TrainState {
  datasetGroupArn: string;
  recipes: RecipeTrainState[];
}

export async function trainOnPersonalize(
  rt: AwsRuntime,
  ctx: EngineContext,
  prior?: Record<string, unknown>,
): Promise<StepResult<TrainResult>> {
  let state = prior as TrainState | undefined;
  if (!state?.recipes) {
    const datasetGroupArn = await requireDatasetGroup(rt);
    state = {
      datasetGroupArn,
      recipes: ctx.recipes.map((recipe) => {
        const arn = recipeArn(recipe, rt.config.aws.useV2Recipes);
        return {
          recipe,
          recipeArn: arn,
          trainingMode: trainingModeFor(arn, ctx.mode),
          phase: 'solution',
          status: 'SUBMITTING',
          deadlineAt: rt.now() + rt.config.aws.timeoutsMs.train,
        };
      }),
    };
  }
  for (const r of state.recipes) {
    if (r.phase === 'solution') await advanceSolution(rt, state.datasetGroupArn, r);
    if (r.phase === 'version') await advanceVersion(rt, ctx, r);
    if (r.phase !== 'done' && rt.now() > r.deadlineAt) {
      throw new AwsEngineError(
        'TIMEOUT',
        `training ${r.recipe} is still ${r.status} after ${Math.round(rt.config.aws.timeoutsMs.train / 60_000)} min (PERSONALIZE_TRAIN_TIMEOUT_MINUTES); it keeps running in AWS and a rerun of this run reuses it`,
        { solutionVersionArn: r.versionArn },
      );
    }
  }
  const done = state.recipes.filter((r) => r.phase === 'done');
  if (done.length === state.recipes.length) {
    return { status: 'done', result: { models: done.map((r) => r.model as TrainedModel) } };
  }
  const pending = state.recipes.filter((r) => r.phase !== 'done').map((r) => `${r.recipe} ${r.phase} ${r.status}`);
  await ctx.progress(Math.round((done.length / state.recipes.length) * 100), `training: ${pending.join(', ')}`);
  return {
    status: 'waiting',
    recheckAfterMs: rt.config.aws.pollMs,
    state: { ...state },
    message: `waiting for Personalize training (${pending.join(', ')})`,
  };
}

/** AutoML only chooses among USER_PERSONALIZATION recipes (and then tunes hyperparameters too). */
function isAutoMl(rt: AwsRuntime, recipe: RecipeName): boolean {
  return rt.config.aws.performAutoMl && recipe === 'user-personalization';
}

/** CreateSolution's tuning settings: AutoML omits the recipe (Personalize picks it), HPO tunes the given one. */
function tuningOf(
  rt: AwsRuntime,
  recipe: RecipeName,
  recipeArn: string,
): { recipeArn?: string; performHPO?: boolean; performAutoML?: boolean } {
  if (isAutoMl(rt, recipe)) return { performAutoML: true, performHPO: true };
  return rt.config.aws.performHpo ? { recipeArn, performHPO: true } : { recipeArn };
}

/** A solution must be ACTIVE before a version can be trained from it. */
async function advanceSolution(rt: AwsRuntime, datasetGroupArn: string, r: RecipeTrainState): Promise<void> {
  const name = names.solution(rt.group, r.recipe);
  if (!r.solutionArn) {
    const found = await rt.lookup.solution(datasetGroupArn, name);
    r.solutionArn =
      found?.arn ??
      (
        await callAws(
          'personalize:CreateSolution',
          () =>
            rt.personalize.send(
              new CreateSolutionCommand({
                name,
                datasetGroupArn,
                // Always explicit: Personalize's default is true (a billed retraining every 7 days).
                performAutoTraining: rt.config.aws.autoTraining,
                ...tuningOf(rt, r.recipe, r.recipeArn),
              }),
            ),
          rt.retry,
        )
      ).solutionArn;
  }
  const d = await callAws(
    'personalize:DescribeSolution',
    () => rt.personalize.send(new DescribeSolutionCommand({ solutionArn: r.solutionArn })),
    rt.retry,
  );
  const solution = d.solution;
  r.status = normalizeStatus(solution?.status);
  if (r.status === 'FAILED') {
    throw new AwsEngineError(
      'CREATE_FAILED',
      `solution ${name} is CREATE FAILED: ${solution?.latestSolutionVersion?.failureReason ?? 'no reason given'}`,
      { solutionArn: r.solutionArn },
    );
  }
  if (solution?.recipeArn && solution.recipeArn !== r.recipeArn) {
    throw new AwsEngineError(
      'BAD_INPUT',
      `solution ${name} uses ${solution.recipeArn}, not ${r.recipeArn}; delete it or change PERSONALIZE_V2_RECIPES`,
    );
  }
  if (r.status === 'ACTIVE') r.phase = 'version';
}

async function advanceVersion(rt: AwsRuntime, ctx: EngineContext, r: RecipeTrainState): Promise<void> {
  const ref = { jobName: names.trainJob(rt.group, ctx.runId, r.recipe), runId: ctx.runId, recipe: r.recipe };
  if (!r.versionArn) {
    const { arn } = await rt.jobs.ensure(
      ref,
      // Summaries carry no name: a version created after an earlier attempt claimed the job is ours.
      async (claimedAt) => {
        if (!claimedAt) return undefined;
        const list = await callAws(
          'personalize:ListSolutionVersions',
          () => rt.personalize.send(new ListSolutionVersionsCommand({ solutionArn: r.solutionArn, maxResults: 100 })),
          rt.retry,
        );
        return list.solutionVersions
          ?.filter((v) => v.creationDateTime && v.creationDateTime.getTime() >= claimedAt.getTime() - 60_000)
          .sort((a, b) => (b.creationDateTime?.getTime() ?? 0) - (a.creationDateTime?.getTime() ?? 0))[0]
          ?.solutionVersionArn;
      },
      async () =>
        (
          await callAws(
            'personalize:CreateSolutionVersion',
            () =>
              rt.personalize.send(
                new CreateSolutionVersionCommand({
                  solutionArn: r.solutionArn,
                  trainingMode: r.trainingMode,
                  name: ref.jobName,
                }),
              ),
            rt.retry,
          )
        ).solutionVersionArn as string,
    );
    r.versionArn = arn;
  }
  const d = await callAws(
    'personalize:DescribeSolutionVersion',
    () => rt.personalize.send(new DescribeSolutionVersionCommand({ solutionVersionArn: r.versionArn })),
    rt.retry,
  );
  const version = d.solutionVersion;
  r.status = normalizeStatus(version?.status);
  if (r.status === 'FAILED' || r.status === 'STOPPED' || r.status === 'STOPPING') {
    const reason = version?.failureReason ?? 'no reason given';
    await rt.jobs.record(ref, {
      jobArn: r.versionArn,
      status: r.status,
      failureReason: reason,
      completedAt: new Date(),
    });
    throw new AwsEngineError(
      'CREATE_FAILED',
      `training ${r.recipe} (solution version ${r.versionArn}) is CREATE ${r.status}: ${reason}`,
      { solutionVersionArn: r.versionArn },
    );
  }
  if (r.status !== 'ACTIVE') {
    await rt.jobs.record(ref, { status: r.status });
    return;
  }
  const params = {
    recipeArn: r.recipeArn,
    solutionArn: r.solutionArn,
    solutionVersionArn: r.versionArn,
    trainingMode: r.trainingMode,
    // Billed training hours, which the cost estimate uses (they can exceed elapsed hours).
    trainingHours: version?.trainingHours ?? null,
    trainingSeconds:
      version?.creationDateTime && version.lastUpdatedDateTime
        ? Math.round((version.lastUpdatedDateTime.getTime() - version.creationDateTime.getTime()) / 1000)
        : null,
  };
  const dataSnapshot = { datasetGroup: rt.group, datasetGroupArn: version?.datasetGroupArn ?? null, runId: ctx.runId };
  await rt.jobs.record(ref, { jobArn: r.versionArn, status: 'ACTIVE', completedAt: new Date() });
  const tuning = {
    status: 'aws',
    reason: 'Personalize tunes its own solutions (PERSONALIZE_PERFORM_HPO / PERSONALIZE_PERFORM_AUTO_ML)',
    performHPO: rt.config.aws.performHpo || isAutoMl(rt, r.recipe),
    performAutoML: isAutoMl(rt, r.recipe),
  };
  r.model = { recipe: r.recipe, params, dataSnapshot, tuning, externalId: r.versionArn };
  r.phase = 'done';
}
