// The shapes of a Shopify sync's inputs, progress and result, shared by the paged sync
// (shopify-sync.ts) and the bulk first sync (bulk-sync.ts).
import type { Config } from '../../config/config';
import type { Database } from '../../db/database';
import type { Logger } from '../../infra/logger';
import type { ApplyCounts } from './order-store';

export interface SyncProgress {
  /** Orders read so far in this run (including the pages saved before a resume). */
  done: number;
  /** Orders the run has to read, when Shopify could count them. */
  total: number | null;
  pages: number;
  resumed: boolean;
  /** A bulk first sync: waiting for Shopify's operation (done = orders it has read) or applying its result. */
  phase?: 'bulk-waiting' | 'bulk-applying' | 'bulk-products';
}

export interface SyncDeps {
  db: Database;
  config: Pick<Config, 'shopify'>;
  logger: Logger;
  progress?: (p: SyncProgress) => void;
}

export interface SyncOptions {
  /** Stops between pages (the page in flight is saved first); the next sync resumes. */
  signal?: AbortSignal;
  /** Ignore the watermark and any saved cursor: read every order again. */
  full?: boolean;
  /**
   * Orders per page and line items per order in the page request. Shopify refuses a query whose
   * requested cost passes 1,000 points: 10 x 10 costs about 770; raise one, lower the other.
   */
  pageSize?: number;
  lineItemsPerOrder?: number;
  retryBaseMs?: number;
  fetchImpl?: typeof fetch;
  /** Read every order through one bulk operation (bulk-sync.ts) instead of pages. */
  bulk?: boolean;
  /** The bulk operation's first poll delay (doubling up to bulkPollMaxMs). */
  bulkPollBaseMs?: number;
  bulkPollMaxMs?: number;
}

export interface SyncResult extends Omit<ApplyCounts, 'stale'> {
  pages: number;
  resumed: boolean;
  stale: number;
  watermark: string | null;
  requests: number;
  throttledWaits: number;
  /** Set when the run went through a bulk operation. */
  bulk?: { operationId: string };
}
