// `recs aws ...`: set up AWS Personalize for the store, print the IAM documents to install, and
// show what past runs cost. Credentials come from the SDK's default chain and are never printed.
import type { Command } from 'commander';
import type { PersonalizeClient } from '@aws-sdk/client-personalize';
import type { Config } from '../../config/config';
import { createPersonalizeClient } from '../../aws-sdk/aws-clients';
import { retryPolicyFrom } from '../../aws-sdk/aws-call';
import { ratesFrom } from '../../aws/cost-estimate';
import { iamPolicies } from '../../aws/iam-policies';
import { setupPersonalize, type SetupStep } from '../../aws/personalize-setup';
import { loadConfigOrExit, withApp } from './app-context';
import type { Database } from '../../db/database';

type Out = (line: string) => void;

function stepLine(s: SetupStep): string {
  const verb = { exists: 'exists ', create: 'create ', created: 'created' }[s.action];
  const extra =
    s.resource === 'event-tracker' && s.detail
      ? ` (tracking id ${s.detail})`
      : s.resource === 'dataset' && s.action === 'create'
        ? ` (${s.detail})`
        : '';
  return `  ${verb}  ${s.resource.padEnd(13)} ${s.name}${s.arn ? `  ${s.arn}` : ''}${extra}`;
}

export function printPolicies(config: Pick<Config, 'aws'>, out: Out): void {
  const p = iamPolicies(config.aws);
  out('\nInstall these in your AWS account (this project never creates IAM users, roles or keys):');
  out(`\n# 1. Trust policy of the role PERSONALIZE_ROLE_ARN (${config.aws.roleArn ?? 'not set'}):`);
  out(JSON.stringify(p.roleTrustPolicy, null, 2));
  out(`\n# 2. Inline policy of that role; also attach the managed policy ${p.roleManagedPolicyArn}:`);
  out(JSON.stringify(p.rolePolicy, null, 2));
  out(`\n# 3. Bucket policy of S3_BUCKET (${config.aws.bucket ?? 'not set'}):`);
  out(JSON.stringify(p.bucketPolicy, null, 2));
  out('\n# 4. Policy of the identity this service runs as (default AWS credential chain):');
  out(JSON.stringify(p.servicePolicy, null, 2));
}

export async function runAwsSetup(
  deps: { config: Pick<Config, 'aws'>; client: PersonalizeClient; out: Out; sleep?: (ms: number) => Promise<void> },
  apply: boolean,
): Promise<void> {
  const { config, out } = deps;
  out(
    `${apply ? 'Setting up' : 'Plan for'} Personalize dataset group "${config.aws.datasetGroup}" in ${config.aws.region}${apply ? '' : ' (nothing is changed; add --apply)'}:`,
  );
  const result = await setupPersonalize(
    {
      client: deps.client,
      datasetGroup: config.aws.datasetGroup,
      retry: retryPolicyFrom(config.aws.retryAttempts),
      sleep: deps.sleep,
      onStep: (s) => {
        out(stepLine(s));
      },
    },
    apply,
  );
  if (result.trackingId && result.trackingId !== config.aws.trackingId) {
    out(`\nSet PERSONALIZE_TRACKING_ID=${result.trackingId} to forward recorded events to Personalize.`);
  }
  printPolicies(config, out);
}

/** What PERSONALIZE_AUTO_TRAINING adds: Personalize retrains every solution every 7 days on its own. */
function autoTrainingLine(autoTraining: boolean, latestTrainingHours: number | undefined, rate: number): string {
  if (!autoTraining) {
    return 'automatic training: off (PERSONALIZE_AUTO_TRAINING=false): solutions train only when the pipeline runs';
  }
  const perMonth = latestTrainingHours === undefined ? null : latestTrainingHours * (30 / 7) * rate;
  return (
    'automatic training: ON (PERSONALIZE_AUTO_TRAINING=true): Personalize retrains every solution every 7 days, ' +
    `billed on top of the runs below${perMonth === null ? '' : ` (about $${perMonth.toFixed(2)}/month at the newest run's training hours)`}`
  );
}

export async function printCosts(
  db: Database,
  out: Out,
  limit: number,
  aws: Pick<Config['aws'], 'autoTraining' | 'costRates'>,
): Promise<void> {
  const rows = await db.prisma.runCostEstimate.findMany({ orderBy: { runId: 'desc' }, take: limit });
  out(autoTrainingLine(aws.autoTraining, rows[0]?.trainingHours, ratesFrom(aws.costRates).trainingHour));
  if (rows.length === 0) {
    out('no cost estimates yet: they are stored at the end of each ENGINE=aws batch-infer stage');
    return;
  }
  out('run     engine  training_h  batch_inputs  ingested_MB  stored_MB  total_usd  days_since_previous');
  rows.forEach((r, i) => {
    const prev = rows[i + 1];
    const gap = prev ? ((r.createdAt.getTime() - prev.createdAt.getTime()) / 86_400_000).toFixed(1) : '-';
    out(
      `${String(r.runId).padEnd(8)}${r.engine.padEnd(8)}${r.trainingHours.toFixed(2).padStart(10)}  ${String(r.batchInputs).padStart(12)}  ` +
        `${(Number(r.ingestedBytes) / 1024 ** 2).toFixed(1).padStart(11)}  ${(Number(r.storedBytes) / 1024 ** 2).toFixed(1).padStart(9)}  ${r.totalUsd.toFixed(2).padStart(9)}  ${gap.padStart(19)}`,
    );
  });
}

export function registerAws(program: Command): void {
  const aws = program.command('aws').description('AWS Personalize and S3 (ENGINE=aws)');
  const out: Out = (line) => process.stdout.write(`${line}\n`);
  aws
    .command('setup')
    .description(
      'find or create the dataset group, schemas, datasets, filter and event tracker; print the IAM policies to install',
    )
    .option('--apply', 'create what is missing (without it, only print the plan)', false)
    .action(async (opts: { apply: boolean }) => {
      const config = loadConfigOrExit();
      const client = createPersonalizeClient(config);
      try {
        await runAwsSetup({ config, client, out }, opts.apply);
      } finally {
        client.destroy();
      }
    });
  aws
    .command('policies')
    .description('print the IAM trust, role, bucket and service policies for the configured role and bucket')
    .action(() => {
      printPolicies(loadConfigOrExit(), out);
    });
  aws
    .command('costs')
    .description('estimated cost of recent runs, with the days between them (cost versus freshness)')
    .option('--limit <n>', 'how many runs', '20')
    .action((opts: { limit: string }) =>
      withApp(({ db, config }) => printCosts(db, out, Math.max(1, Number(opts.limit) || 20), config.aws)),
    );
}
