// The one loader for both engines: batch output (JSON Lines) -> cache tables. Everything a run
// loads goes into temporary staging tables and replaces (FULL) or merges into (UPDATE) the live
// tables in ONE transaction, so a reader sees the old batch or the new one, never a mix.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { from as copyFrom } from 'pg-copy-streams';
import type { PoolClient } from 'pg';
import type { Database } from '../db/database';
import type { ObjectStore } from '../storage/object-store';
import { readBatchOutput, type BatchLineProblem, type BatchRecord } from './batch-output-reader';
import { CACHE_TABLES, OUTPUT_TARGETS, toEntries, type CacheTarget } from './cache-tables';

export interface LoadRequest {
  runId: number;
  mode: 'FULL' | 'UPDATE';
  /** Object-store keys of the batch outputs, by output name (`user-personalization`, ...). */
  outputs: Record<string, string>;
  /** UPDATE mode: only these customers and products are replaced. */
  only?: { users: Set<string>; items: Set<string> };
  /** When no personalised output exists, every customer gets the global popularity list. */
  fillUsersFromPopularity: boolean;
}

export interface LoadResult {
  batchVersion: number;
  rows: Partial<Record<CacheTarget, number>>;
  failedLines: number;
  problems: BatchLineProblem[];
}

const MAX_PROBLEMS_KEPT = 50;

function keyOf(target: CacheTarget, r: BatchRecord): string[] | null {
  const input = r.input;
  if (target === 'popularItems') {
    if (input.kind === 'scope') return [input.scope, input.value];
    // AWS's popularity output is per user and the same for everyone: keep one as the global list.
    return input.kind === 'user' ? ['global', ''] : null;
  }
  if (target === 'similarItems' || target === 'itemSegments') return input.kind === 'item' ? [input.itemId] : null;
  return input.kind === 'user' ? [input.userId] : null;
}

function allowed(target: CacheTarget, key: string[], only: LoadRequest['only']): boolean {
  if (!only) return true;
  if (target === 'popularItems') return true;
  const isItemKey = target === 'similarItems' || target === 'itemSegments';
  return isItemKey ? only.items.has(key[0]!) : only.users.has(key[0]!);
}

async function stageOutput(
  client: PoolClient,
  store: ObjectStore,
  name: string,
  objectKey: string,
  target: CacheTarget,
  req: LoadRequest,
  problems: BatchLineProblem[],
): Promise<{ rows: number; failed: number }> {
  const spec = CACHE_TABLES[target];
  let rows = 0;
  let failed = 0;
  const seen = new Set<string>();
  const onProblem = (p: BatchLineProblem) => {
    failed += 1;
    if (problems.length < MAX_PROBLEMS_KEPT) problems.push({ line: p.line, reason: `${name}.jsonl: ${p.reason}` });
  };
  async function* csvRows(): AsyncGenerator<string[]> {
    for await (const record of readBatchOutput(await store.get(objectKey), onProblem)) {
      const key = keyOf(target, record);
      if (!key) {
        onProblem({ line: record.line, reason: `input does not fit ${spec.table}` });
        continue;
      }
      const k = key.join('\u0000');
      if (seen.has(k) || !allowed(target, key, req.only)) continue;
      seen.add(k);
      rows += 1;
      yield [...key, JSON.stringify(toEntries(spec, record.ids, record.scores)), name];
    }
  }
  const columns = [...spec.keyColumns, spec.listColumn, 'recipe_name'].map((c) => `"${c}"`).join(', ');
  await pipeline(
    Readable.from(csvRows()),
    stringify(),
    // FORCE_NOT_NULL: an empty key (the global popularity scope) is '', not NULL.
    client.query(copyFrom(`COPY "stage_${spec.table}" (${columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (${columns}))`)),
  );
  return { rows, failed };
}

async function publish(client: PoolClient, target: CacheTarget, mode: 'FULL' | 'UPDATE'): Promise<number> {
  const spec = CACHE_TABLES[target];
  const cols = [...spec.keyColumns, spec.listColumn, 'recipe_name'].map((c) => `"${c}"`).join(', ');
  if (mode === 'FULL') await client.query(`DELETE FROM "${spec.table}"`);
  const conflict = spec.keyColumns.map((c) => `"${c}"`).join(', ');
  const result = await client.query(
    `INSERT INTO "${spec.table}" (${cols}, updated_at)
     SELECT ${cols}, (now() AT TIME ZONE 'utc') FROM "stage_${spec.table}"
     ON CONFLICT (${conflict}) DO UPDATE
       SET "${spec.listColumn}" = EXCLUDED."${spec.listColumn}", recipe_name = EXCLUDED.recipe_name, updated_at = EXCLUDED.updated_at`,
  );
  return result.rowCount ?? 0;
}

export async function loadResults(db: Database, store: ObjectStore, req: LoadRequest): Promise<LoadResult> {
  const problems: BatchLineProblem[] = [];
  let failedLines = 0;
  const staged = new Map<CacheTarget, number>();
  return db.transaction(async (client) => {
    const targets = new Set<CacheTarget>(['userRecommendations', 'popularItems']);
    for (const name of Object.keys(req.outputs)) {
      const t = OUTPUT_TARGETS[name];
      if (t) targets.add(t);
    }
    for (const t of targets) {
      const table = CACHE_TABLES[t].table;
      await client.query(`CREATE TEMP TABLE "stage_${table}" (LIKE "${table}" INCLUDING DEFAULTS) ON COMMIT DROP`);
    }
    for (const [name, objectKey] of Object.entries(req.outputs)) {
      const target = OUTPUT_TARGETS[name];
      if (target === undefined) throw new Error(`unknown batch output "${name}"`);
      if (target === null) continue;
      const r = await stageOutput(client, store, name, objectKey, target, req, problems);
      staged.set(target, (staged.get(target) ?? 0) + r.rows);
      failedLines += r.failed;
    }
    if (!staged.has('userRecommendations') && req.fillUsersFromPopularity && staged.has('popularItems')) {
      const r = await client.query(
        `INSERT INTO "stage_offline_user_recommendations" (user_id, recommendations, recipe_name)
         SELECT c.id, p.items, p.recipe_name FROM customers c
           JOIN "stage_offline_popular_items" p ON p.scope = 'global' AND p.scope_value = ''
          WHERE $1::text[] IS NULL OR c.id = ANY($1)`,
        [req.only ? [...req.only.users] : null],
      );
      staged.set('userRecommendations', r.rowCount ?? 0);
    }
    const rows: LoadResult['rows'] = {};
    for (const [target] of staged) rows[target] = await publish(client, target, req.mode);
    const batch = await client.query<{ id: number }>(
      `INSERT INTO cache_batches (run_id, mode, counts) VALUES ($1, $2, $3) RETURNING id`,
      [req.runId, req.mode, JSON.stringify({ ...rows, failedLines })],
    );
    return { batchVersion: batch.rows[0]!.id, rows, failedLines, problems };
  });
}
