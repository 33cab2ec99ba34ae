// The bulk JSONL reader on its own: lines split across chunks, children grouped under the order
// they follow, applied lines skipped, 64-bit numbers kept exact, and an ungrouped file refused.
import { jsonlLines, orderGroups } from '../../src/connectors/shopify/bulk-jsonl';

function streamOf(text: string, chunk: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) {
        controller.close();
        return;
      }
      controller.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}

const FILE = [
  '{"id":"gid://shopify/Order/1","n":820982911946154508}',
  '{"id":"gid://shopify/LineItem/10","__parentId":"gid://shopify/Order/1"}',
  '{"id":"gid://shopify/LineItem/11","__parentId":"gid://shopify/Order/1"}',
  '{"id":"gid://shopify/Order/2"}',
  '{"id":"gid://shopify/Order/3","title":"caf\u00e9"}',
  '{"id":"gid://shopify/LineItem/30","__parentId":"gid://shopify/Order/3"}',
].join('\n');

async function groups(text: string, skip = 0, chunk = 7) {
  const out = [];
  for await (const g of orderGroups(jsonlLines(streamOf(text, chunk)), skip)) out.push(g);
  return out;
}

describe('bulk JSONL reader', () => {
  it('groups line items under their order, whatever the chunking, with exact 64-bit numbers', async () => {
    for (const chunk of [1, 3, 7, 4096]) {
      const got = await groups(`${FILE}\n`, 0, chunk);
      expect(got.map((g) => [g.node.id, g.lastLine])).toEqual([
        ['gid://shopify/Order/1', 3],
        ['gid://shopify/Order/2', 4],
        ['gid://shopify/Order/3', 6],
      ]);
      expect(got[0]?.node.n).toBe('820982911946154508');
      expect(got[0]?.node.lineItems).toEqual({
        pageInfo: { hasNextPage: false, endCursor: null },
        nodes: [{ id: 'gid://shopify/LineItem/10' }, { id: 'gid://shopify/LineItem/11' }],
      });
      expect(got[2]?.node.title).toBe('café');
    }
  });

  it('skips the lines an earlier run applied (always whole orders)', async () => {
    const got = await groups(FILE, 3);
    expect(got.map((g) => g.node.id)).toEqual(['gid://shopify/Order/2', 'gid://shopify/Order/3']);
  });

  it('refuses an ungrouped file (a line item not right after its order)', async () => {
    const ungrouped = [
      '{"id":"gid://shopify/Order/1"}',
      '{"id":"gid://shopify/Order/2"}',
      '{"id":"gid://shopify/LineItem/10","__parentId":"gid://shopify/Order/1"}',
    ].join('\n');
    await expect(groups(ungrouped)).rejects.toThrow(/does not follow its order/);
  });
});
