import { type Command, InvalidArgumentError } from 'commander';
import { buildServices } from '../../app/services';
import type { RunMode } from '../../pipeline/pipeline-service';
import { loadConfigOrExit } from './app-context';
import { renderRun, waitForRun } from '../../terminal/progress';

function parseMode(value: string): RunMode {
  const v = value.toUpperCase();
  if (v !== 'FULL' && v !== 'UPDATE') throw new InvalidArgumentError('must be FULL or UPDATE');
  return v;
}

export function registerPipeline(program: Command): void {
  const pipeline = program.command('pipeline').description('start and inspect pipeline runs');
  pipeline
    .command('run')
    .description('start a pipeline run (workers must be running: `recs worker`)')
    .option('--wait', 'show progress stage by stage and exit non-zero if the run fails')
    .option('--mode <mode>', 'FULL or UPDATE', parseMode, 'FULL' as RunMode)
    .option('--recipes <list>', 'comma-separated recipes (default RECIPES)')
    .option('--sync-first', 'pull orders from the store connector before exporting')
    .option('--force-load', 'load the batch even if the load guard refuses it (failed lines, low coverage)')
    .action(
      async (opts: { wait?: boolean; mode: RunMode; recipes?: string; syncFirst?: boolean; forceLoad?: boolean }) => {
        const services = buildServices(loadConfigOrExit(), { name: 'cli' });
        try {
          const run = await services.pipeline.startRun({
            mode: opts.mode,
            recipes: opts.recipes
              ?.split(',')
              .map((s) => s.trim())
              .filter(Boolean),
            syncFirst: opts.syncFirst,
            forceLoad: opts.forceLoad,
            trigger: 'cli',
          });
          process.stdout.write(`started pipeline run ${run.id}\n`);
          if (!opts.wait) return;
          const final = await waitForRun(services.pipeline, run.id);
          if (final.status !== 'succeeded') {
            process.stderr.write(`pipeline run ${run.id} ${final.status}: ${final.error ?? ''}\n`);
            process.exitCode = 1;
          }
        } finally {
          await services.close();
        }
      },
    );
  pipeline
    .command('status [run]')
    .description('show one run (default: the newest) with its stages, timings and counts')
    .action(async (runArg?: string) => {
      const services = buildServices(loadConfigOrExit(), { name: 'cli' });
      try {
        const id = runArg === undefined ? undefined : Number(runArg);
        if (id !== undefined && !Number.isInteger(id)) throw new InvalidArgumentError(`"${runArg}" is not a run id`);
        const run =
          id === undefined ? (await services.pipeline.listRuns({ first: 1 }))[0] : await services.pipeline.getRun(id);
        if (!run) {
          process.stdout.write(id === undefined ? 'no pipeline runs yet\n' : `no pipeline run ${id}\n`);
          process.exitCode = id === undefined ? 0 : 1;
          return;
        }
        process.stdout.write(`${renderRun(run)}\n`);
      } finally {
        await services.close();
      }
    });
}
