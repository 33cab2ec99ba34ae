// Applies one bulk operation's JSONL result: streamed (bulk-jsonl.ts), a batch per transaction, each
// transaction also storing the number of lines applied so a restarted sync skips them. Orders go
// through the paged sync's treatment (refund-line follow-ups, mapOrder, the idempotent upserts,
// malformed ones to the quarantine); products through the catalogue upsert.
import type { PoolClient } from 'pg';
import type { Database } from '../../db/database';
import type { ShopifyAdminClient } from './admin-client';
import { jsonlLines, orderGroups, type BulkOrderGroup } from './bulk-jsonl';
import { productLine } from './bulk-query';
import { withRefundLines } from './order-follow-ups';
import { mapOrder, money, shopifyId, type OrderRows, type QuarantineEntry, type ShopifyProduct } from './order-mapper';
import { malformedOrder, normalizeGraphqlOrder, orderNode, type OrderNode } from './order-query';
import { quarantine, upsertProducts } from './order-store';
import { ShopifyApiError, SyncAbortedError } from './shopify-errors';

export interface FileProgress {
  /** Lines applied so far (always the last line of a whole group). */
  lines: number;
  /** Top-level objects (orders or products) applied in this call. */
  applied: number;
}

/**
 * Streams the file at `url` past its first `skip` lines, in batches of `batchSize` top-level
 * objects; `apply` writes one batch inside the transaction that records `lines` as applied.
 */
export async function applyBulkFile(
  db: Database,
  url: string,
  opts: { skip: number; batchSize: number; signal?: AbortSignal },
  apply: (tx: PoolClient, batch: BulkOrderGroup[], lines: number) => Promise<void>,
  onBatch: (p: FileProgress) => void,
): Promise<FileProgress> {
  // The result URL is a signed link: no access token is sent with it.
  const res = await fetch(url, { signal: opts.signal });
  if (!res.ok || !res.body)
    throw new ShopifyApiError(`a bulk operation result could not be read (HTTP ${res.status})`, res.status, true);
  const done: FileProgress = { lines: opts.skip, applied: 0 };
  let batch: BulkOrderGroup[] = [];
  const flush = async () => {
    const last = batch[batch.length - 1];
    if (!last) return;
    await db.transaction((tx) => apply(tx, batch, last.lastLine));
    done.lines = last.lastLine;
    done.applied += batch.length;
    batch = [];
    onBatch(done);
  };
  for await (const group of orderGroups(jsonlLines(res.body), opts.skip)) {
    batch.push(group);
    if (batch.length >= opts.batchSize) {
      await flush();
      if (opts.signal?.aborted) throw new SyncAbortedError();
    }
  }
  await flush();
  return done;
}

/** The paged sync's treatment of one order, for a batch of JSONL groups. */
export async function mapOrderGroups(client: ShopifyAdminClient, groups: BulkOrderGroup[]): Promise<OrderRows[]> {
  const mapped: OrderRows[] = [];
  const valid: OrderNode[] = [];
  for (const { node, lastLine } of groups) {
    const parsed = orderNode.safeParse(node);
    if (parsed.success) {
      valid.push(parsed.data);
      continue;
    }
    mapped.push(
      malformedOrder(typeof node.id === 'string' ? `order/${node.id}` : `bulk-line/${lastLine}`, parsed.error, node),
    );
  }
  for (const n of await withRefundLines(client, valid)) mapped.push(mapOrder(normalizeGraphqlOrder(n)));
  return mapped;
}

/** Catalogue data of a batch of product lines (title, type as category, lowest variant price); bad lines quarantined. */
export async function applyProductLines(tx: PoolClient, groups: BulkOrderGroup[]): Promise<number> {
  const products: ShopifyProduct[] = [];
  const bad: QuarantineEntry[] = [];
  for (const { node, lastLine } of groups) {
    const parsed = productLine.safeParse(node);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      bad.push({
        file: typeof node.id === 'string' ? `product/${node.id}` : `bulk-product-line/${lastLine}`,
        reason: `malformed product from the Admin API: ${issue?.path.join('.')} ${issue?.message}`,
        raw: node,
      });
      continue;
    }
    const p = parsed.data;
    products.push({
      id: shopifyId(p.id),
      name: p.title ?? null,
      category: p.productType ? p.productType : null,
      price: money(p.priceRangeV2?.minVariantPrice.amount),
      authoritative: true,
    });
  }
  await quarantine(tx, bad);
  return upsertProducts(tx, products);
}
