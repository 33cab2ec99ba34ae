import { AwsEngineError } from '../../src/aws-sdk/aws-engine-error';
import { ConfigError } from '../../src/config/config-error';
import { ShopifyApiError, ShopifyNotConfiguredError, SyncAlreadyRunningError } from '../../src/connectors/shopify';
import { DatasetFormatError } from '../../src/engine/local/dataset-format-error';
import { InsufficientDataError } from '../../src/engine/local/insufficient-data-error';
import { PermanentStageError } from '../../src/errors/permanent-stage-error';
import { isPermanentError } from '../../src/errors/recs-error';

describe('isPermanentError', () => {
  it('is true for the errors retrying cannot fix', () => {
    for (const err of [
      new PermanentStageError('bad input'),
      new InsufficientDataError(10, 1),
      new DatasetFormatError('items.csv: unreadable header'),
      new ConfigError([{ variable: 'PORT', message: 'must be a number' }]),
      new AwsEngineError('ACCESS_DENIED', 'no personalize:CreateSolution'),
      new AwsEngineError('CREATE_FAILED', 'solution version failed'),
      new ShopifyNotConfiguredError(['SHOPIFY_SHOP']),
      new ShopifyApiError('bad token', 401, false),
    ]) {
      expect([err.name, isPermanentError(err)]).toEqual([err.name, true]);
    }
  });

  it('is false for throttling that outlived the retries, retryable API errors and anything unknown', () => {
    for (const err of [
      new AwsEngineError('THROTTLED', 'rate exceeded'),
      new ShopifyApiError('502 from Shopify', 502, true),
      new SyncAlreadyRunningError('shop.myshopify.com'),
      new Error('connection reset'),
      'a string',
      undefined,
    ]) {
      expect(isPermanentError(err)).toBe(false);
    }
  });

  it('each error carries its own code', () => {
    expect(new AwsEngineError('TIMEOUT', 'too slow')).toMatchObject({ code: 'TIMEOUT', permanent: true });
    expect(new ConfigError([])).toMatchObject({ code: 'CONFIG_INVALID', name: 'ConfigError' });
    expect(new InsufficientDataError(1, 1)).toMatchObject({ code: 'INSUFFICIENT_DATA' });
  });
});
