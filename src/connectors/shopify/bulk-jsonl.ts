// Streams a bulk operation's JSONL result line by line (never the whole file in memory) and groups
// each order with the line items that follow it: Shopify writes a parent before its children, and
// a child's `__parentId` names its parent. Lines are parsed losslessly (64-bit ids stay exact).
import { parseWebhookBody } from './webhook-body';

export interface BulkOrderGroup {
  /** A top-level line (an order: with its line items gathered under lineItems.nodes, as a paged order node). */
  node: Record<string, unknown>;
  /** The 1-based number of the group's last JSONL line: once the group is applied, lines up to here are done. */
  lastLine: number;
}

/** Yields the body's lines (without the newline), numbered from 1. */
export async function* jsonlLines(body: ReadableStream<Uint8Array>): AsyncGenerator<{ n: number; text: string }> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  let n = 0;
  for await (const chunk of body) {
    rest += decoder.decode(chunk, { stream: true });
    let nl = rest.indexOf('\n');
    while (nl >= 0) {
      const text = rest.slice(0, nl);
      rest = rest.slice(nl + 1);
      n += 1;
      if (text.trim()) yield { n, text };
      nl = rest.indexOf('\n');
    }
  }
  rest += decoder.decode();
  if (rest.trim()) yield { n: n + 1, text: rest };
}

/**
 * Groups the JSONL's order lines with their line items. `skip` lines (applied by an earlier run)
 * are read past without being grouped: the file is the same (one operation), so they are the same lines.
 */
export async function* orderGroups(
  lines: AsyncIterable<{ n: number; text: string }>,
  skip: number,
): AsyncGenerator<BulkOrderGroup> {
  let current: BulkOrderGroup | null = null;
  let items: unknown[] = [];
  for await (const { n, text } of lines) {
    if (n <= skip) continue;
    const row = parseWebhookBody(text) as Record<string, unknown>;
    const parent = row.__parentId;
    if (typeof parent === 'string') {
      if (!current || current.node.id !== parent)
        throw new Error(`bulk JSONL line ${n}: a line item of ${parent} does not follow its order`);
      delete row.__parentId;
      items.push(row);
      current.lastLine = n;
      continue;
    }
    if (current) yield finish(current, items);
    current = { node: row, lastLine: n };
    items = [];
  }
  if (current) yield finish(current, items);
}

function finish(group: BulkOrderGroup, items: unknown[]): BulkOrderGroup {
  group.node.lineItems = { pageInfo: { hasNextPage: false, endCursor: null }, nodes: items };
  return group;
}
