// Personalize's item-affinity recipe answers per item (a batch segment job: the users most likely
// to want each item). The cache also serves the other direction, per customer
// (offline_item_affinity, REFERENCE.md), which the built-in engine writes as
// `item-affinity-users.jsonl`. This derives that file from the segments by inverting them, so
// `itemAffinity` for a customer is served with ENGINE=aws too instead of falling back.
import { Readable } from 'node:stream';
import { readBatchOutput } from '../results';
import type { ObjectStore } from '../storage/object-store';

export interface AffinityUsersResult {
  users: number;
  /** Segment lines that could not be read (failed inputs included): skipped, as the loader does. */
  skippedLines: number;
}

/**
 * Reads `segmentsKey` (lines `{"input":{"itemId"},"output":{"recommendedUsers":[...]}}`) and writes
 * `outputKey` with one line per user: their items, best first, at most `perUser`. A user's score
 * for an item is the segment's score when given, else its rank within the segment (1 = first).
 */
export async function writeAffinityUsers(
  store: ObjectStore,
  segmentsKey: string,
  outputKey: string,
  perUser: number,
): Promise<AffinityUsersResult> {
  const byUser = new Map<string, { item: string; score: number }[]>();
  let skippedLines = 0;
  for await (const rec of readBatchOutput(await store.get(segmentsKey), () => skippedLines++)) {
    if (rec.input.kind !== 'item') {
      skippedLines++;
      continue;
    }
    const item = rec.input.itemId;
    rec.ids.forEach((user, rank) => {
      const score = rec.scores?.[rank] ?? 1 - rank / rec.ids.length;
      const list = byUser.get(user);
      if (list) list.push({ item, score });
      else byUser.set(user, [{ item, score }]);
    });
  }
  const users = [...byUser.keys()].sort();
  function* lines(): Generator<string> {
    for (const user of users) {
      const scored = byUser.get(user) ?? [];
      // Ties keep the item order of the segments file, so the output is deterministic.
      const best = scored.sort((a, b) => b.score - a.score).slice(0, perUser);
      const output = {
        recommendedItems: best.map((b) => b.item),
        scores: best.map((b) => Math.round(b.score * 1e6) / 1e6),
      };
      yield `${JSON.stringify({ input: { userId: user }, output, error: null })}\n`;
    }
  }
  await store.put(outputKey, Readable.from(lines()));
  return { users: users.length, skippedLines };
}
