import { loadConfig } from '../../src/config/config';
import { ConfigError } from '../../src/config/config-error';

const awsEnv = {
  ENGINE: 'aws',
  AWS_REGION: 'eu-west-1',
  S3_BUCKET: 'shop',
  PERSONALIZE_ROLE_ARN: 'arn:aws:iam::123456789012:role/P',
};

describe('AWS settings in loadConfig', () => {
  it('uses S3 for ENGINE=aws, with defaults for polling, timeouts and the batch limit', () => {
    const c = loadConfig({}, awsEnv);
    expect(c.objectStore.kind).toBe('s3');
    expect(c.aws).toMatchObject({
      prefix: 'storefront-recs/',
      pollMs: 60_000,
      timeoutsMs: { import: 180 * 60_000, train: 720 * 60_000, batch: 720 * 60_000 },
      maxBatchJobs: 5,
      useV2Recipes: true,
      partSizeBytes: 16 * 1024 * 1024,
      costRates: {},
    });
  });

  it('normalizes S3_PREFIX to end with exactly one slash, and "/" to no prefix', () => {
    expect(loadConfig({}, { ...awsEnv, S3_PREFIX: '/recs' }).aws.prefix).toBe('recs/');
    expect(loadConfig({}, { ...awsEnv, S3_PREFIX: 'a/b//' }).aws.prefix).toBe('a/b/');
    expect(loadConfig({}, { ...awsEnv, S3_PREFIX: '/' }).aws.prefix).toBe('');
  });

  it('names each missing or bad AWS variable', () => {
    const err = (() => {
      try {
        loadConfig(
          {},
          {
            ENGINE: 'aws',
            PERSONALIZE_DATASET_GROUP: 'bad name!',
            PERSONALIZE_MAX_BATCH_JOBS: '9',
            AWS_COST_RATES: 'trainingHour=x',
          },
        );
      } catch (e) {
        return e as ConfigError;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(err.problems.map((p) => p.variable).sort()).toEqual([
      'AWS_COST_RATES',
      'PERSONALIZE_DATASET_GROUP',
      'PERSONALIZE_MAX_BATCH_JOBS',
    ]);
    expect(() => loadConfig({}, { ENGINE: 'aws' })).toThrow(
      /AWS_REGION: is required when ENGINE=aws[\s\S]*S3_BUCKET[\s\S]*PERSONALIZE_ROLE_ARN/,
    );
  });
});
