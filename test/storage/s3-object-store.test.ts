import { loadConfig } from '../../src/config/config';
import { createObjectStore } from '../../src/storage/create-object-store';
import { S3ObjectStore } from '../../src/storage/s3-object-store';
import { startLocalS3, type LocalS3 } from '../support/s3-server';
import { describeObjectStoreContract } from './object-store.contract';

let s3: LocalS3;
describeObjectStoreContract(
  'S3ObjectStore over HTTP (s3rver)',
  async () => {
    s3 = await startLocalS3();
    const config = loadConfig(
      {},
      {
        OBJECT_STORE: 's3',
        AWS_REGION: 'us-east-1',
        S3_BUCKET: s3.bucket,
        S3_PREFIX: 'tenant-a',
        S3_FORCE_PATH_STYLE: 'true',
        S3_PART_SIZE_MB: '5',
      },
    );
    return { store: createObjectStore(config), largeSize: 11 * 1024 * 1024 };
  },
  async () => {
    await s3.close();
  },
);

describe('createObjectStore', () => {
  it('builds an S3 store under the configured prefix, with s3:// URIs', () => {
    const config = loadConfig(
      {},
      { OBJECT_STORE: 's3', AWS_REGION: 'eu-west-1', S3_BUCKET: 'shop-data', S3_PREFIX: '/recs' },
    );
    const store = createObjectStore(config);
    expect(store).toBeInstanceOf(S3ObjectStore);
    expect(store.uri('runs/1/datasets/users.csv')).toBe('s3://shop-data/recs/runs/1/datasets/users.csv');
  });

  it('refuses an S3 store without a bucket', () => {
    const config = loadConfig({}, { OBJECT_STORE: 's3', AWS_REGION: 'eu-west-1' });
    expect(() => createObjectStore(config)).toThrow(/S3_BUCKET/);
  });

  it('uses the directory store by default', () => {
    expect(createObjectStore(loadConfig({}, {})).kind).toBe('dir');
  });
});
