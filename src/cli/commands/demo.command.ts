import type { Command } from 'commander';
import { runDemo } from '../../demo/demo';
import { loadConfigOrExit } from './app-context';
import { positiveInt } from './arg-parsers';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('migrate, load a store, run the pipeline in a worker process, serve and show example queries')
    .option(
      '--dataset <file>',
      'Online Retail file to import when the database is empty',
      '../shared/datasets/online-retail/online_retail.csv.gz',
    )
    .option('--customers <n>', 'synthetic store size when the file is absent', positiveInt, 5_000)
    .option('--products <n>', 'synthetic store size when the file is absent', positiveInt, 1_000)
    .option('--interactions <n>', 'synthetic store size when the file is absent', positiveInt, 80_000)
    .action((opts: { dataset: string; customers: number; products: number; interactions: number }) =>
      runDemo(loadConfigOrExit(), {
        dataset: opts.dataset,
        synthetic: { customers: opts.customers, products: opts.products, interactions: opts.interactions },
      }),
    );
}
