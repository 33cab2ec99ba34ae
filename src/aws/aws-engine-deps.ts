// What every part of the AWS engine needs, built once at start-up and passed in.
import type { PersonalizeClient } from '@aws-sdk/client-personalize';
import type { Config } from '../config/config';
import type { Database } from '../db/database';
import type { ObjectStore } from '../storage/object-store';
import { S3ObjectStore } from '../storage/s3-object-store';
import { retryPolicyFrom, type RetryPolicy } from '../aws-sdk/aws-call';
import { AwsEngineError } from '../aws-sdk/aws-engine-error';
import { ratesFrom } from './cost-estimate';
import { JobMetadata } from '../engine/job-metadata';
import type { RecipeName } from '../engine/training-engine';
import { PersonalizeLookup } from './personalize-lookup';
import { names } from './personalize-names';

export interface AwsEngineDeps {
  config: Pick<Config, 'aws' | 'engine'>;
  db: Database;
  personalize: PersonalizeClient;
  retry?: RetryPolicy;
  /** The clock; tests move it to reach timeouts. */
  now?: () => number;
}

export interface AwsRuntime {
  config: Pick<Config, 'aws' | 'engine'>;
  db: Database;
  personalize: PersonalizeClient;
  retry: RetryPolicy;
  now: () => number;
  jobs: JobMetadata;
  lookup: PersonalizeLookup;
  roleArn: string;
  group: string;
}

export function runtimeOf(deps: AwsEngineDeps): AwsRuntime {
  const retry = deps.retry ?? retryPolicyFrom(deps.config.aws.retryAttempts);
  if (!deps.config.aws.roleArn)
    throw new AwsEngineError('NOT_SET_UP', 'PERSONALIZE_ROLE_ARN is required for the AWS engine');
  // A bad AWS_COST_RATES must stop start-up, not the end of a run hours later.
  ratesFrom(deps.config.aws.costRates);
  return {
    config: deps.config,
    db: deps.db,
    personalize: deps.personalize,
    retry,
    now: deps.now ?? Date.now,
    jobs: new JobMetadata(deps.db),
    lookup: new PersonalizeLookup(deps.personalize, retry),
    roleArn: deps.config.aws.roleArn,
    group: deps.config.aws.datasetGroup,
  };
}

/** Personalize reads and writes S3 only: the run's store must be the S3 one. */
export function requireS3(store: ObjectStore): S3ObjectStore {
  if (!(store instanceof S3ObjectStore)) {
    throw new AwsEngineError(
      'BAD_INPUT',
      'ENGINE=aws needs the S3 object store (it is chosen automatically when ENGINE=aws)',
    );
  }
  return store;
}

export async function requireDatasetGroup(rt: AwsRuntime): Promise<string> {
  const group = await rt.lookup.datasetGroup(rt.group);
  if (!group) {
    throw new AwsEngineError(
      'NOT_SET_UP',
      `Personalize dataset group "${rt.group}" does not exist; run \`recs aws setup --apply\``,
    );
  }
  if (group.status && group.status !== 'ACTIVE') {
    throw new AwsEngineError('NOT_SET_UP', `Personalize dataset group "${rt.group}" is ${group.status}, not ACTIVE`);
  }
  return group.arn;
}

/** The ARN of the solution version run `runId` trained for the recipe (its train job's row). */
export async function requireTrainedVersion(rt: AwsRuntime, runId: number, recipe: RecipeName): Promise<string> {
  const trained = await rt.jobs.get(names.trainJob(rt.group, runId, recipe));
  if (!trained?.jobArn || trained.status !== 'ACTIVE') {
    throw new AwsEngineError(
      'NOT_SET_UP',
      `run ${runId} has no ACTIVE solution version for ${recipe} (train status: ${trained?.status ?? 'none'}); run the train stage first`,
    );
  }
  return trained.jobArn;
}
