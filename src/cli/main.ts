// `recs`: the command-line entry point. Each command lives in its own file under commands/.
import { Command, CommanderError } from 'commander';
import { registerApiKey } from './commands/apikey.command';
import { registerMigrate } from './commands/migrate.command';
import { pipelineNotWired, registerServe } from './commands/serve.command';

export function buildProgram(): Command {
  const program = new Command('recs')
    .description('storefront-recs: recommendations for online stores, on a built-in engine or AWS Personalize')
    .showHelpAfterError()
    .exitOverride();
  registerMigrate(program);
  registerApiKey(program);
  // The lead replaces pipelineNotWired with the real PipelineService (and adds the ranker).
  registerServe(program, { createPipeline: () => pipelineNotWired() });
  return program;
}

async function main(argv: string[]): Promise<void> {
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

if (require.main === module || process.argv[1]?.endsWith('recs.js')) {
  void main(process.argv);
}
