// `recs`: the command-line entry point. Each command lives in its own file under commands/.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Command, CommanderError } from 'commander';
import { registerApiKey } from './commands/apikey.command';
import { registerAws } from './commands/aws.command';
import { registerCustomers } from './commands/customers.command';
import { registerDemo } from './commands/demo.command';
import { registerDoctor } from './commands/doctor.command';
import { registerEvaluate } from './commands/evaluate.command';
import { registerExperiments } from './commands/experiments.command';
import { registerGenerate } from './commands/generate.command';
import { registerImport } from './commands/import.command';
import { registerMigrate } from './commands/migrate.command';
import { registerPipeline } from './commands/pipeline.command';
import { registerServe } from './commands/serve.command';
import { registerSync } from './commands/sync.command';
import { registerWebhooks } from './commands/webhooks.command';
import { registerWorker } from './commands/worker.command';

/** package.json's version: two folders up from src/cli and from dist/cli alike. */
export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version?: unknown;
  };
  return typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

export function buildProgram(): Command {
  const program = new Command('recs')
    .description('storefront-recs: recommendations for online stores, on a built-in engine or AWS Personalize')
    .version(packageVersion(), '-V, --version', 'print the version of storefront-recs')
    .showHelpAfterError()
    .exitOverride();
  registerMigrate(program);
  registerImport(program);
  registerGenerate(program);
  registerWorker(program);
  registerPipeline(program);
  registerEvaluate(program);
  registerDoctor(program);
  registerAws(program);
  registerSync(program);
  registerWebhooks(program);
  registerCustomers(program);
  registerApiKey(program);
  registerExperiments(program);
  registerServe(program);
  registerDemo(program);
  return program;
}

/** Runs the CLI; bin/recs.js calls it (directly, through npx, npm scripts or the Docker image). */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode;
      return;
    }
    process.stderr.write(`error: ${(err as Error).message}\n`);
    process.exitCode = 1;
  }
}
