import { loadConfig } from '../../src/config/config';
import { setupPersonalize } from '../../src/aws/personalize-setup';
import { runAwsSetup } from '../../src/cli/commands/aws.command';
import { FakePersonalize } from '../support/fake-personalize';

const noSleep = () => Promise.resolve();
const fastRetry = { attempts: 4, baseDelayMs: 1, maxDelayMs: 1, sleep: noSleep };

describe('setupPersonalize', () => {
  it('only plans without --apply: every resource to create, nothing created', async () => {
    const fake = new FakePersonalize();
    const result = await setupPersonalize(
      { client: fake.client, datasetGroup: 'shop', retry: fastRetry, sleep: noSleep },
      false,
    );
    expect(result.steps.map((s) => `${s.action} ${s.resource} ${s.name}`)).toEqual([
      'create dataset-group shop',
      'create schema shop-interactions-schema',
      'create schema shop-items-schema',
      'create schema shop-users-schema',
      'create dataset shop-interactions',
      'create dataset shop-items',
      'create dataset shop-users',
      'create filter shop-exclude-purchased',
      'create event-tracker shop-tracker',
    ]);
    expect(fake.resources).toEqual([]);
  });

  it('creates everything with --apply, waiting for each to become ACTIVE, with the exact schemas', async () => {
    const fake = new FakePersonalize();
    fake.throttled.set('CreateDatasetGroup', 2);
    const result = await setupPersonalize(
      { client: fake.client, datasetGroup: 'shop', retry: fastRetry, sleep: noSleep },
      true,
    );
    expect(result.steps.every((s) => s.action === 'created')).toBe(true);
    expect(result.trackingId).toBe('tracking-shop-tracker');
    expect(fake.byKind('dataset-group')[0]?.status).toBe('ACTIVE');
    const schemas = Object.fromEntries(
      fake.byKind('schema').map((s) => [s.name, JSON.parse(s.input.schema as string) as { fields: unknown }]),
    );
    expect(schemas['shop-interactions-schema']).toEqual({
      type: 'record',
      name: 'Interactions',
      namespace: 'com.amazonaws.personalize.schema',
      version: '1.0',
      fields: [
        { name: 'USER_ID', type: 'string' },
        { name: 'ITEM_ID', type: 'string' },
        { name: 'TIMESTAMP', type: 'long' },
        { name: 'EVENT_TYPE', type: 'string' },
        { name: 'EVENT_VALUE', type: 'float' },
      ],
    });
    expect(schemas['shop-items-schema']!.fields).toEqual([
      { name: 'ITEM_ID', type: 'string' },
      { name: 'ITEM_NAME', type: 'string' },
      { name: 'CATEGORY', type: 'string', categorical: true },
      { name: 'PRICE', type: 'float' },
      { name: 'PURCHASE_COUNT', type: 'int' },
    ]);
    expect(schemas['shop-users-schema']!.fields).toEqual([
      { name: 'USER_ID', type: 'string' },
      { name: 'CITY', type: 'string', categorical: true },
      { name: 'PROVINCE', type: 'string', categorical: true },
      { name: 'ORDER_COUNT', type: 'int' },
      { name: 'TOTAL_SPEND', type: 'float' },
    ]);
    expect(fake.byKind('dataset').map((d) => d.input.datasetType)).toEqual(['Interactions', 'Items', 'Users']);
    expect(fake.byKind('filter')[0]?.input.filterExpression).toBe(
      'EXCLUDE ItemID WHERE Interactions.EVENT_TYPE IN ("purchase")',
    );
  });

  it('is idempotent: a second apply finds everything by name and creates nothing', async () => {
    const fake = new FakePersonalize();
    await setupPersonalize({ client: fake.client, datasetGroup: 'shop', retry: fastRetry, sleep: noSleep }, true);
    const before = fake.resources.length;
    const again = await setupPersonalize(
      { client: fake.client, datasetGroup: 'shop', retry: fastRetry, sleep: noSleep },
      true,
    );
    expect(again.steps.every((s) => s.action === 'exists')).toBe(true);
    expect(fake.resources).toHaveLength(before);
    expect(again.trackingId).toBe('tracking-shop-tracker');
  });

  it('fails with the failureReason when a resource ends CREATE FAILED', async () => {
    const fake = new FakePersonalize({ failures: [{ kind: 'dataset-group', reason: 'KMS key not usable' }] });
    await expect(
      setupPersonalize({ client: fake.client, datasetGroup: 'shop', retry: fastRetry, sleep: noSleep }, true),
    ).rejects.toThrow('dataset group shop is CREATE FAILED: KMS key not usable');
  });
});

describe('recs aws setup (runAwsSetup)', () => {
  it('prints the plan, the tracking id and the IAM documents, and never a credential', async () => {
    process.env.AWS_SECRET_ACCESS_KEY = 'super-secret-value';
    try {
      const config = loadConfig(
        {},
        {
          AWS_REGION: 'eu-west-1',
          S3_BUCKET: 'shop-data',
          PERSONALIZE_ROLE_ARN: 'arn:aws:iam::123456789012:role/PersonalizeRole',
          PERSONALIZE_DATASET_GROUP: 'shop',
        },
      );
      const fake = new FakePersonalize();
      const lines: string[] = [];
      await runAwsSetup({ config, client: fake.client, out: (l) => lines.push(l), sleep: noSleep }, true);
      const text = lines.join('\n');
      expect(text).toContain('Set PERSONALIZE_TRACKING_ID=tracking-shop-tracker');
      expect(text).toContain('"Service": "personalize.amazonaws.com"');
      expect(text).toContain('"aws:SourceAccount": "123456789012"');
      expect(text).toContain('arn:aws:s3:::shop-data/storefront-recs/*');
      expect(text).toContain('arn:aws:iam::aws:policy/service-role/AmazonPersonalizeFullAccess');
      expect(text).not.toContain('super-secret-value');
    } finally {
      delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });
});
