// Streams one batch output file into a staging table through COPY. Lines that cannot be used are
// reported with their line numbers and skipped; the rest loads.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { PoolClient } from 'pg';
import type { ObjectStore } from '../storage/object-store';
import { readBatchOutput, type BatchLineProblem, type BatchRecord } from './batch-output-reader';
import { RESULT_KINDS, type ResultKind } from './result-kinds';

export interface StagingRequest {
  name: string;
  objectKey: string;
  target: ResultKind;
  stagingTable: string;
  /** UPDATE mode: only these customers and products. */
  only?: { users: Set<string>; items: Set<string> };
  onProblem: (p: BatchLineProblem) => void;
}

function keyOf(target: ResultKind, r: BatchRecord): string[] | null {
  const input = r.input;
  switch (RESULT_KINDS[target].keyedBy) {
    case 'scope':
      if (input.kind === 'scope') return [input.scope, input.value];
      // AWS's popularity output is per user and the same for everyone: keep one as the global list.
      return input.kind === 'user' ? ['global', ''] : null;
    case 'item':
      return input.kind === 'item' ? [input.itemId] : null;
    case 'user':
      return input.kind === 'user' ? [input.userId] : null;
  }
}

function allowed(target: ResultKind, key: string[], only: StagingRequest['only']): boolean {
  const keyedBy = RESULT_KINDS[target].keyedBy;
  if (!only || keyedBy === 'scope') return true;
  const id = key[0] ?? '';
  return keyedBy === 'item' ? only.items.has(id) : only.users.has(id);
}

/** [{"product_id": id, "score": s}, ...] built as text: no intermediate objects on the hot path. */
function entriesJson(entryId: string, ids: string[], scores: number[] | null, reasons: string[] | null): string {
  const parts = new Array<string>(ids.length);
  for (let i = 0; i < ids.length; i++) {
    const score = scores?.[i] ?? null;
    const reason = reasons?.[i];
    parts[i] =
      `{"${entryId}":${JSON.stringify(ids[i])},"score":${score === null || !Number.isFinite(score) ? 'null' : score}${reason ? `,"reason":${reason}` : ''}}`;
  }
  return `[${parts.join(',')}]`;
}

/** One row in COPY's text format. JSON text has no raw tabs or newlines; backslashes double. */
function copyTextRow(fields: string[]): string {
  let line = '';
  for (const [i, f] of fields.entries()) {
    line += (i ? '\t' : '') + (/[\\\t\n\r]/.test(f) ? f.replace(/[\\\t\n\r]/g, escapeChar) : f);
  }
  return `${line}\n`;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };
// Only called for the characters the escape pattern matches, all of which are in ESCAPES.
const escapeChar = (c: string) => ESCAPES[c] ?? c;

export async function copyOutputToStaging(
  client: PoolClient,
  store: ObjectStore,
  req: StagingRequest,
): Promise<{ rows: number; lines: number }> {
  const spec = RESULT_KINDS[req.target];
  const seen = new Set<string>();
  let rows = 0;
  // Every line of the file, good or failed: the load guard's denominator.
  let lines = 0;
  const onReaderProblem = (p: BatchLineProblem) => {
    lines += 1;
    req.onProblem(p);
  };
  // Rows are batched into chunks: one stream write per row costs more than the rows themselves.
  async function* chunks(): AsyncGenerator<string> {
    let chunk = '';
    for await (const record of readBatchOutput(await store.get(req.objectKey), onReaderProblem)) {
      lines += 1;
      const key = keyOf(req.target, record);
      if (!key) {
        req.onProblem({ line: record.line, reason: `input does not fit ${spec.table}` });
        continue;
      }
      const k = key.join('\u0000');
      if (seen.has(k) || !allowed(req.target, key, req.only)) continue;
      seen.add(k);
      rows += 1;
      chunk += copyTextRow([...key, entriesJson(spec.entryId, record.ids, record.scores, record.reasons), req.name]);
      if (chunk.length > 1 << 20) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  const columns = [...spec.keyColumns, spec.listColumn, 'recipe_name'].map((c) => `"${c}"`).join(', ');
  // Text format: an empty key (the global popularity scope) is '' (only \N is NULL).
  await pipeline(Readable.from(chunks()), client.query(copyFrom(`COPY "${req.stagingTable}" (${columns}) FROM STDIN`)));
  return { rows, lines };
}
