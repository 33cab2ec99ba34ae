// Which failures retrying cannot fix. These fail a stage at once with their reason; everything
// else (a dropped connection, a throttled API) retries with backoff.
import { AwsEngineError } from '../aws/aws-engine-error';
import { ConfigError } from '../config/config-error';
import { ShopifyApiError, ShopifyNotConfiguredError } from '../connectors/shopify';
import { DatasetFormatError } from '../engine/local/csv-lines';
import { InsufficientDataError } from '../engine/local/insufficient-data-error';
import { PermanentStageError } from './stage-types';

export function isPermanentError(err: unknown): boolean {
  return (
    err instanceof PermanentStageError ||
    err instanceof InsufficientDataError ||
    err instanceof DatasetFormatError ||
    err instanceof ConfigError ||
    // THROTTLED has already been retried with backoff inside the engine; the rest need a person.
    (err instanceof AwsEngineError && err.code !== 'THROTTLED') ||
    err instanceof ShopifyNotConfiguredError ||
    (err instanceof ShopifyApiError && !err.retryable)
  );
}
