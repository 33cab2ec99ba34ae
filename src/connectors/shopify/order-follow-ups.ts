// The follow-up queries of a sync page: an order's line items past the first ones, its refunds past
// the first ones, and the lines of every refund (read in batches, a few refunds per query).
import type { z } from 'zod';
import type { ShopifyAdminClient } from './admin-client';
import {
  ALL_REFUNDS_QUERY,
  allRefunds,
  MORE_LINE_ITEMS_QUERY,
  moreLineItems,
  PAGE_REFUNDS,
  REFUND_BATCH,
  REFUND_LINES_BATCH_QUERY,
  REFUND_LINES_QUERY,
  refundLines,
  refundLinesBatch,
  type FullOrderNode,
  type OrderNode,
  type RefundLineNode,
} from './order-query';
import { ShopifyApiError } from './shopify-errors';

/** Reads the line items past the page's first ones. */
export async function completeLineItems(client: ShopifyAdminClient, node: OrderNode): Promise<OrderNode> {
  let info = node.lineItems.pageInfo;
  const lines = [...node.lineItems.nodes];
  while (info.hasNextPage && info.endCursor) {
    const more = await client.request(
      MORE_LINE_ITEMS_QUERY,
      { id: node.id, first: 100, after: info.endCursor },
      moreLineItems,
    );
    if (!more.order) throw new ShopifyApiError(`order ${node.id} vanished while its line items were read`, null, true);
    lines.push(...more.order.lineItems.nodes);
    info = more.order.lineItems.pageInfo;
  }
  let refunds = node.refunds;
  if (refunds.length >= PAGE_REFUNDS) {
    const all = await client.request(ALL_REFUNDS_QUERY, { id: node.id }, allRefunds);
    if (all.order) refunds = all.order.refunds;
  }
  return { ...node, lineItems: { pageInfo: info, nodes: lines }, refunds };
}

/** Reads every refund's lines for a page of orders: a few refunds per query, then any long refund's rest. */
export async function withRefundLines(client: ShopifyAdminClient, orders: OrderNode[]): Promise<FullOrderNode[]> {
  const ids = orders.flatMap((o) => o.refunds.map((r) => r.id));
  const lines = new Map<string, RefundLineNode[]>();
  for (let i = 0; i < ids.length; i += REFUND_BATCH.ids) {
    const batch = ids.slice(i, i + REFUND_BATCH.ids);
    const res = await client.request(
      REFUND_LINES_BATCH_QUERY,
      { ids: batch, first: REFUND_BATCH.lines },
      refundLinesBatch,
      batch.length * REFUND_BATCH.costPerId,
    );
    for (const [j, node] of res.nodes.entries()) {
      const id = batch[j] as string;
      if (!node) throw new ShopifyApiError(`refund ${id} vanished while its lines were read`, null, true);
      const got = [...node.refundLineItems.nodes];
      let p = node.refundLineItems.pageInfo;
      while (p.hasNextPage && p.endCursor) {
        const more: z.infer<typeof refundLines> = await client.request(
          REFUND_LINES_QUERY,
          { id, first: 50, after: p.endCursor },
          refundLines,
        );
        if (!more.node) throw new ShopifyApiError(`refund ${id} vanished while its lines were read`, null, true);
        got.push(...more.node.refundLineItems.nodes);
        p = more.node.refundLineItems.pageInfo;
      }
      lines.set(id, got);
    }
  }
  return orders.map((o) => ({
    ...o,
    refunds: o.refunds.map((r) => ({ ...r, refundLineItems: { nodes: lines.get(r.id) ?? [] } })),
  }));
}
