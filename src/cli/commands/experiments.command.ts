// `recs experiments create|list|show|start|pause|resume|stop|ship|results`: the same operations as
// the GraphQL mutations, on the same ExperimentService (gateways pick changes up within
// EXPERIMENTS_REFRESH_SECONDS). A refused request prints its reason and exits 1.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import {
  ExperimentService,
  SURFACES,
  resultsCsv,
  type Experiment,
  type Strategy,
  type Surface,
  type Variant,
} from '../../experiments';
import { withApp } from './app-context';

const SURFACE_NAMES: Record<string, Surface> = {
  recommendations: 'RECOMMENDATIONS',
  'similar-items': 'SIMILAR_ITEMS',
  'rank-items': 'RANK_ITEMS',
  rest: 'REST',
};

function parseSurfaces(value: string): Surface[] {
  return value.split(',').map((s) => {
    const surface = SURFACE_NAMES[s.trim()] ?? SURFACES.find((x) => x === s.trim());
    if (!surface)
      throw new InvalidArgumentError(`unknown surface ${s}; one of ${Object.keys(SURFACE_NAMES).join(', ')}`);
    return surface;
  });
}

/**
 * key:name:share:STRATEGY[:filter], filter as excludeInteracted,maxPrice=20,minPrice=5,categories=A|B;
 * a BATCH variant may take modelVersion=ID instead (the batch of that model version).
 */
export function parseVariant(value: string, previous: Variant[] = []): Variant[] {
  const [key, name, share, kind, filter] = value.split(':');
  if (!key || !name || !share || !kind)
    throw new InvalidArgumentError('a variant is key:name:share:STRATEGY[:filter], e.g. pop:Popular:20:POPULAR');
  let strategy: Strategy;
  if (kind === 'FILTER') {
    const f: Extract<Strategy, { kind: 'FILTER' }>['filter'] = {};
    for (const part of (filter ?? '').split(',').filter(Boolean)) {
      const [k, v] = part.split('=');
      if (k === 'excludeInteracted') f.excludeInteracted = true;
      else if (k === 'maxPrice' || k === 'minPrice') f[k] = Number(v);
      else if (k === 'categories') f.categories = (v ?? '').split('|').filter(Boolean);
      else throw new InvalidArgumentError(`unknown filter field ${k ?? ''}`);
    }
    strategy = { kind: 'FILTER', filter: f };
  } else if (kind === 'BATCH' && filter) {
    const m = /^modelVersion=(\d{1,9})$/.exec(filter);
    if (!m) throw new InvalidArgumentError(`a BATCH variant takes modelVersion=ID (got ${filter})`);
    strategy = { kind, modelVersion: Number(m[1]) };
  } else if (kind === 'BATCH' || kind === 'POPULAR' || kind === 'HOLDOUT') strategy = { kind };
  else throw new InvalidArgumentError(`strategy must be BATCH, POPULAR, FILTER or HOLDOUT (got ${kind})`);
  return [...previous, { key, name, share: Number(share), strategy }];
}

function parseId(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive whole number');
  return n;
}

function describe(x: Experiment): string {
  const variants = x.variants
    .map((v) => `${v.key}${v.key === x.controlKey ? ' (control)' : ''} ${v.share}% ${v.strategy.kind}`)
    .join(', ');
  const shipped = x.shippedVariant ? ` shipped ${x.shippedVariant}` : '';
  return `${x.id}\t${x.status}${shipped}\t${x.name}\t[${x.surfaces.join(',')}]\t${variants}`;
}

export function registerExperiments(program: Command): void {
  const cmd = program
    .command('experiments')
    .description('A/B tests of recommendation strategies (create, run, read results)');
  cmd
    .command('create')
    .description('create an experiment as a draft')
    .requiredOption('--name <name>', 'a name')
    .requiredOption('--surfaces <list>', `comma-separated: ${Object.keys(SURFACE_NAMES).join(', ')}`, parseSurfaces)
    .requiredOption('--variant <spec>', 'key:name:share:STRATEGY[:filter] (repeat 2-5 times)', parseVariant)
    .requiredOption('--control <key>', "the control variant's key")
    .option('--description <text>', 'what it tests')
    .option('--window <days>', 'attribution window in days (default 7)', parseId)
    .option('--planned <customers>', 'customers per variant the intervals are tuned for (default 10000)', parseId)
    .action(
      (o: {
        name: string;
        surfaces: Surface[];
        variant: Variant[];
        control: string;
        description?: string;
        window?: number;
        planned?: number;
      }) =>
        withApp(async ({ db }) => {
          const x = await new ExperimentService(db).create({
            name: o.name,
            description: o.description ?? null,
            surfaces: o.surfaces,
            variants: o.variant,
            controlKey: o.control,
            attributionWindowDays: o.window ?? null,
            plannedCustomersPerVariant: o.planned ?? null,
          });
          process.stdout.write(
            `created experiment ${x.id} (draft); start it with \`recs experiments start ${x.id}\`\n`,
          );
        }),
    );
  cmd
    .command('list')
    .description('experiments, newest first')
    .action(() =>
      withApp(async ({ db }) => {
        const list = await new ExperimentService(db).store.list({ first: 100 });
        if (!list.length) process.stdout.write('no experiments; create one with `recs experiments create`\n');
        for (const x of list) process.stdout.write(`${describe(x)}\n`);
      }),
    );
  cmd
    .command('show')
    .argument('<id>', 'experiment id', parseId)
    .description('one experiment with its history')
    .action((id: number) =>
      withApp(async ({ db }) => {
        const s = new ExperimentService(db);
        process.stdout.write(`${describe(await s.get(id))}\n`);
        for (const h of await s.store.history(id))
          process.stdout.write(`  ${h.at.toISOString()} ${h.action} -> ${h.toStatus}${h.note ? ` (${h.note})` : ''}\n`);
      }),
    );
  for (const action of ['start', 'pause', 'resume', 'stop'] as const) {
    cmd
      .command(action)
      .argument('<id>', 'experiment id', parseId)
      .description(`${action} an experiment`)
      .action((id: number) =>
        withApp(async ({ db }) => {
          process.stdout.write(`${describe(await new ExperimentService(db).move(id, action))}\n`);
        }),
      );
  }
  cmd
    .command('ship')
    .argument('<id>', 'experiment id', parseId)
    .requiredOption('--variant <key>', 'the winning variant')
    .option('--force', 'ship even when the variant fails a guardrail (significantly worse than control)')
    .option('--note <text>', 'why')
    .description('ship a variant to everyone on the surfaces (refused when it fails a guardrail, unless --force)')
    .action((id: number, o: { variant: string; force?: boolean; note?: string }) =>
      withApp(async ({ db }) => {
        process.stdout.write(
          `${describe(await new ExperimentService(db).ship(id, o.variant, o.force ?? false, o.note))}\n`,
        );
      }),
    );
  cmd
    .command('results')
    .argument('<id>', 'experiment id', parseId)
    .option('--csv', 'CSV (one row per variant and metric) instead of the summary')
    .description('results per variant: the summary in plain words, or CSV')
    .action((id: number, o: { csv?: boolean }) =>
      withApp(async ({ db }) => {
        const r = await new ExperimentService(db).results(id);
        if (o.csv) {
          process.stdout.write(resultsCsv(r));
          return;
        }
        process.stdout.write(`${r.summary}\n\n`);
        for (const v of r.variants) {
          process.stdout.write(
            `${v.key}${v.isControl ? ' (control)' : ''}: ${v.customers} customers, ${v.exposures} exposures\n`,
          );
          for (const m of v.metrics) {
            const ci = m.interval ? ` [${m.interval.low.toPrecision(3)}, ${m.interval.high.toPrecision(3)}]` : '';
            const lift =
              m.vsControl?.lift == null
                ? ''
                : ` lift ${(m.vsControl.lift * 100).toFixed(1)}%${m.vsControl.significant ? ' (significant)' : ''}`;
            process.stdout.write(`  ${m.metric.padEnd(32)} ${m.value.toPrecision(4)}${ci}${lift}\n`);
          }
        }
      }),
    );
}
