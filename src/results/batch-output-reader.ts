// Reads Personalize's batch output (JSON Lines, REFERENCE.md) from either engine. A line with a
// non-null `error` is a failed input, not a failed file: it is counted and the rest goes on.
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

export type BatchInput =
  | { kind: 'user'; userId: string; itemList?: string[] }
  | { kind: 'item'; itemId: string }
  | { kind: 'scope'; scope: 'global' | 'category' | 'province'; value: string };

export interface BatchRecord {
  line: number;
  input: BatchInput;
  /** recommendedItems or recommendedUsers, best first. */
  ids: string[];
  scores: number[] | null;
  /** The built-in engine's optional reasons of the first items (JSON text of each, for the cache entries). */
  reasons: string[] | null;
}

export interface BatchLineProblem {
  line: number;
  reason: string;
}

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

/** A reason of the engine's output: `{"kind": "...", "productIds": [...]?}`. */
function isReason(v: unknown): v is { kind: string; productIds?: string[]; count?: number } {
  return (
    isObject(v) &&
    typeof v.kind === 'string' &&
    (v.productIds === undefined || isStringArray(v.productIds)) &&
    (v.count === undefined || (typeof v.count === 'number' && Number.isFinite(v.count)))
  );
}

function parseInput(input: Json): BatchInput | string {
  if (typeof input.userId === 'string' && input.userId) {
    if (input.itemList !== undefined && !isStringArray(input.itemList)) return 'itemList is not a list of ids';
    return { kind: 'user', userId: input.userId, itemList: input.itemList };
  }
  if (typeof input.itemId === 'string' && input.itemId) return { kind: 'item', itemId: input.itemId };
  if (input.scope === 'global') return { kind: 'scope', scope: 'global', value: '' };
  if (input.scope === 'category' && typeof input.category === 'string') {
    return { kind: 'scope', scope: 'category', value: input.category };
  }
  if (input.scope === 'province' && typeof input.province === 'string') {
    return { kind: 'scope', scope: 'province', value: input.province };
  }
  return 'input has no userId, itemId or scope';
}

/** Parses one line; returns the record, or the reason it cannot be used. */
export function parseBatchLine(text: string, line: number): BatchRecord | BatchLineProblem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { line, reason: 'not valid JSON' };
  }
  if (!isObject(value) || !isObject(value.input)) return { line, reason: 'no input object' };
  if (value.error !== undefined && value.error !== null)
    return {
      line,
      reason: `failed input: ${typeof value.error === 'string' ? value.error : JSON.stringify(value.error)}`,
    };
  const input = parseInput(value.input);
  if (typeof input === 'string') return { line, reason: input };
  const output = value.output;
  if (!isObject(output)) return { line, reason: 'no output object' };
  const ids = output.recommendedItems ?? output.recommendedUsers;
  if (!isStringArray(ids)) return { line, reason: 'output has no recommendedItems or recommendedUsers list' };
  const scores = output.scores;
  if (
    scores !== undefined &&
    !(Array.isArray(scores) && scores.length === ids.length && scores.every((s) => typeof s === 'number'))
  ) {
    return { line, reason: 'scores do not match the recommended ids' };
  }
  const reasons = output.reasons;
  if (
    reasons !== undefined &&
    !(Array.isArray(reasons) && reasons.length <= ids.length && reasons.every((r) => isReason(r)))
  ) {
    return { line, reason: 'reasons do not match the recommended ids' };
  }
  return {
    line,
    input,
    ids,
    scores: scores ?? null,
    reasons: reasons
      ? reasons.map((r) =>
          JSON.stringify({
            kind: r.kind,
            productIds: r.productIds ?? [],
            ...(r.count === undefined ? {} : { count: r.count }),
          }),
        )
      : null,
  };
}

export async function* readBatchOutput(
  stream: Readable,
  onProblem: (p: BatchLineProblem) => void,
): AsyncGenerator<BatchRecord> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let n = 0;
  for await (const text of lines) {
    n += 1;
    if (!text.trim()) continue;
    const parsed = parseBatchLine(text, n);
    if ('reason' in parsed) onProblem(parsed);
    else yield parsed;
  }
}
