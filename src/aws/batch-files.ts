// The files around a Personalize batch job: the JSON Lines input written from the run's CSVs, and
// the `<input>.out` files Personalize writes, gathered into `${outputPrefix}${recipe}.jsonl` so the
// built-in engine's loader reads them unchanged.
import { PassThrough, Readable, Transform } from 'node:stream';
import { readCsvRecords } from '../csv/csv-records';
import type { RecipeName, RunLayout } from '../engine/training-engine';
import type { ObjectStore } from '../storage/object-store';
import { AwsEngineError } from '../aws-sdk/aws-engine-error';

export type BatchKind = 'inference' | 'segment';

export function batchKindOf(recipe: RecipeName): BatchKind {
  return recipe === 'item-affinity' ? 'segment' : 'inference';
}

/** Where Personalize reads and writes for one recipe: beside the run's model, out of the loader's way. */
export function batchPaths(
  layout: RunLayout,
  recipe: RecipeName,
): { inputKey: string; outputPrefix: string; finalKey: string } {
  return {
    inputKey: `${layout.modelPrefix}personalize/batch-input/${recipe}.json`,
    outputPrefix: `${layout.modelPrefix}personalize/batch-output/${recipe}/`,
    finalKey: `${layout.outputPrefix}${recipe}.jsonl`,
  };
}

async function* csvColumn<C extends string>(
  store: ObjectStore,
  key: string,
  columns: readonly C[],
): AsyncGenerator<Record<C, string>> {
  let positions: number[] | undefined;
  let width = 0;
  for await (const records of readCsvRecords(await store.get(key))) {
    for (const r of records) {
      if (!r.fields) throw new AwsEngineError('BAD_INPUT', `${key} line ${r.line}: ${r.error ?? 'unreadable line'}`);
      if (!positions) {
        const header = r.fields;
        width = header.length;
        positions = columns.map((c) => {
          const i = header.indexOf(c);
          if (i < 0) throw new AwsEngineError('BAD_INPUT', `${key} has no ${c} column`);
          return i;
        });
        continue;
      }
      if (r.fields.length !== width)
        throw new AwsEngineError(
          'BAD_INPUT',
          `${key} line ${r.line}: expected ${width} columns, found ${r.fields.length}`,
        );
      // Every requested column was found in the header, so the record is complete when yielded.
      const out: Partial<Record<C, string>> = {};
      for (const [k, column] of columns.entries()) out[column] = r.fields[positions[k] ?? -1] ?? '';
      yield out as Record<C, string>;
    }
  }
}

/** Distinct user ids: from users.csv when exported, else from interactions.csv. */
async function* userIds(store: ObjectStore, layout: RunLayout): AsyncGenerator<string> {
  const seen = new Set<string>();
  const source = (await store.exists(layout.users)) ? layout.users : layout.interactions;
  for await (const row of csvColumn(store, source, ['USER_ID'])) {
    if (row.USER_ID && !seen.has(row.USER_ID)) {
      seen.add(row.USER_ID);
      yield row.USER_ID;
    }
  }
}

async function itemsByPopularity(store: ObjectStore, layout: RunLayout): Promise<string[]> {
  const items: { id: string; count: number }[] = [];
  for await (const row of csvColumn(store, layout.items, ['ITEM_ID', 'PURCHASE_COUNT'])) {
    items.push({ id: row.ITEM_ID, count: Number(row.PURCHASE_COUNT) || 0 });
  }
  return items.sort((a, b) => b.count - a.count || a.id.localeCompare(b.id)).map((i) => i.id);
}

/**
 * Writes the batch input of one recipe (REFERENCE.md "Recipes"): every user, every item, or for
 * ranking every user with the `rankingItems` most purchased items. Popularity is the same for
 * everyone, so one user is enough to get the list. Returns the number of input lines.
 */
export async function writeBatchInput(
  store: ObjectStore,
  layout: RunLayout,
  recipe: RecipeName,
  key: string,
  rankingItems: number,
): Promise<number> {
  let lines = 0;
  const source = async function* (): AsyncGenerator<string> {
    if (recipe === 'similar-items' || recipe === 'item-affinity') {
      for await (const row of csvColumn(store, layout.items, ['ITEM_ID'])) {
        lines++;
        yield `${JSON.stringify({ itemId: row.ITEM_ID })}\n`;
      }
      return;
    }
    const itemList =
      recipe === 'personalized-ranking' ? (await itemsByPopularity(store, layout)).slice(0, rankingItems) : undefined;
    for await (const userId of userIds(store, layout)) {
      lines++;
      yield `${JSON.stringify(itemList ? { userId, itemList } : { userId })}\n`;
      if (recipe === 'popularity-count') return;
    }
  };
  await store.put(key, Readable.from(source()));
  if (lines === 0)
    throw new AwsEngineError(
      'BAD_INPUT',
      `the batch input for ${recipe} is empty: the run's datasets have no ${recipe === 'similar-items' || recipe === 'item-affinity' ? 'items' : 'users'}`,
    );
  return lines;
}

export interface CollectedOutput {
  lines: number;
  failedLines: number;
  firstErrors: string[];
}

/**
 * Concatenates Personalize's `.out` files into finalKey, counting lines and failed lines (those
 * with a non-null `error`); failed lines stay in the file for the loader to skip and report.
 */
export async function collectBatchOutput(
  store: ObjectStore,
  outputPrefix: string,
  finalKey: string,
): Promise<CollectedOutput> {
  const parts = (await store.list(outputPrefix)).filter((o) => o.key.endsWith('.out'));
  if (parts.length === 0)
    throw new AwsEngineError(
      'BAD_INPUT',
      `the batch job finished but wrote no .out file under ${store.uri(outputPrefix)}`,
    );
  const stats: CollectedOutput = { lines: 0, failedLines: 0, firstErrors: [] };
  let tail = '';
  const counter = new Transform({
    transform(chunk: Buffer, _enc, done) {
      const text = tail + chunk.toString('utf8');
      const split = text.split('\n');
      tail = split.pop() ?? '';
      for (const line of split) countLine(line, stats);
      done(null, chunk);
    },
    flush(done) {
      countLine(tail, stats);
      done();
    },
  });
  const joined = new PassThrough();
  void (async () => {
    try {
      for (const part of parts) {
        let last = 0x0a;
        for await (const chunk of await store.get(part.key)) {
          const buf = chunk as Buffer;
          const end = buf.at(-1);
          if (end !== undefined) last = end;
          if (!joined.write(buf)) await new Promise((r) => joined.once('drain', r));
        }
        // Files may lack a final newline; lines from two files must never run together.
        if (last !== 0x0a) joined.write('\n');
      }
      joined.end();
    } catch (err) {
      joined.destroy(err as Error);
    }
  })();
  joined.on('error', (err) => counter.destroy(err));
  await store.put(finalKey, joined.pipe(counter));
  return stats;
}

function countLine(line: string, stats: CollectedOutput): void {
  if (!line.trim()) return;
  stats.lines++;
  try {
    const parsed = JSON.parse(line) as { error?: unknown };
    if (parsed.error !== undefined && parsed.error !== null) {
      stats.failedLines++;
      if (stats.firstErrors.length < 3)
        stats.firstErrors.push(typeof parsed.error === 'string' ? parsed.error : JSON.stringify(parsed.error));
    }
  } catch {
    stats.failedLines++;
    if (stats.firstErrors.length < 3) stats.firstErrors.push(`not JSON: ${line.slice(0, 80)}`);
  }
}
