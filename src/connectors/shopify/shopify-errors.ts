// Typed errors of the Shopify connector; each says what went wrong and what to do about it.
import { RecsError } from '../../errors/recs-error';

/** The Admin API answered with something we cannot use (after retries), or refused the request. */
export class ShopifyApiError extends RecsError {
  readonly code = 'SHOPIFY_API';
  readonly permanent: boolean;

  constructor(
    message: string,
    readonly status: number | null,
    /** false when retrying cannot help (bad token, bad query); the sync stops and keeps its cursor. */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'ShopifyApiError';
    this.permanent = !retryable;
  }
}

/** SHOPIFY_SHOP / SHOPIFY_ACCESS_TOKEN / SHOPIFY_WEBHOOK_SECRET missing for the asked operation. */
export class ShopifyNotConfiguredError extends RecsError {
  readonly code = 'SHOPIFY_NOT_CONFIGURED';
  readonly permanent = true;

  constructor(readonly missing: string[]) {
    super(`Shopify is not configured: set ${missing.join(', ')}`);
    this.name = 'ShopifyNotConfiguredError';
  }
}

/** Another sync of the same shop holds the lock; two syncs would fight over one cursor. */
export class SyncAlreadyRunningError extends Error {
  constructor(readonly shop: string) {
    super(`a Shopify sync of ${shop} is already running; wait for it to finish`);
    this.name = 'SyncAlreadyRunningError';
  }
}

/** The sync was asked to stop (Ctrl-C, shutdown) and stopped between pages. */
export class SyncAbortedError extends Error {
  constructor() {
    super('Shopify sync interrupted; run it again to resume from the last saved page');
    this.name = 'SyncAbortedError';
  }
}

/** A bulk operation ended FAILED, CANCELED or EXPIRED (or could not start); the next sync starts a new one. */
export class ShopifyBulkOperationError extends RecsError {
  readonly code = 'SHOPIFY_BULK_OPERATION';
  readonly permanent = false;

  constructor(
    readonly operationId: string | null,
    readonly status: string,
    readonly errorCode: string | null,
  ) {
    super(
      `Shopify bulk operation ${operationId ?? '(not started)'} ended ${status}${errorCode ? ` (${errorCode})` : ''}; ` +
        'the next sync starts a new one',
    );
    this.name = 'ShopifyBulkOperationError';
  }
}
