// Whole-response cache per batch version. A cacheable answer (a read of batch data, no errors) is
// kept as a template: its serialised JSON split around the recommendationIds and the response time,
// so each later copy gets fresh ones. Entries of an older batch are never served; a batch change
// empties the cache. The pieces are Buffers: their bytes live outside the V8 heap, so thousands of
// cached responses do not lengthen garbage-collection pauses, and a copy is one Buffer.concat.
import { randomUUID } from 'node:crypto';

interface Template {
  version: number;
  operation: string;
  parts: Buffer[];
  length: number;
  /** slots[i] sits between parts[i] and parts[i + 1]: an index into the fresh ids, or -1 for the time. */
  slots: number[];
  ids: number;
}

export interface ResponseCacheStats {
  hits: number;
  misses: number;
  stored: number;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class ResponseCache {
  private readonly entries = new Map<string, Template>();
  readonly stats: ResponseCacheStats = { hits: 0, misses: 0, stored: 0 };

  constructor(private readonly maxEntries: number) {}

  get enabled(): boolean {
    return this.maxEntries > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  static key(query: string, variables: unknown, operationName: unknown): string {
    return `${typeof operationName === 'string' ? operationName : ''}\u0001${query}\u0001${variables === undefined ? '' : JSON.stringify(variables)}`;
  }

  clear(): void {
    this.entries.clear();
  }

  /** The rendered response, or null when absent or from another batch. */
  render(key: string, version: number): { body: Buffer; operation: string } | null {
    const t = this.entries.get(key);
    if (!t || t.version !== version) {
      this.stats.misses += 1;
      return null;
    }
    this.stats.hits += 1;
    const ids: Buffer[] = [];
    for (let i = 0; i < t.ids; i++) ids.push(Buffer.from(randomUUID(), 'latin1'));
    const now = Buffer.from(new Date().toISOString(), 'latin1');
    const chunks: Buffer[] = [t.parts[0]!];
    let length = t.length;
    for (let i = 0; i < t.slots.length; i++) {
      const slot = t.slots[i]!;
      const value = slot < 0 ? now : ids[slot]!;
      chunks.push(value, t.parts[i + 1]!);
      length += value.length;
    }
    return { body: Buffer.concat(chunks, length), operation: t.operation };
  }

  store(key: string, version: number, operation: string, body: string, stamps: { ids: string[]; generatedAt: string }): void {
    if (!this.enabled) return;
    const tokens = [...stamps.ids, stamps.generatedAt];
    const pieces = body.split(new RegExp(`(${tokens.map(escapeRegExp).join('|')})`));
    const parts: Buffer[] = [];
    const slots: number[] = [];
    pieces.forEach((piece, i) => {
      if (i % 2 === 0) parts.push(Buffer.from(piece, 'utf8'));
      else slots.push(piece === stamps.generatedAt ? -1 : stamps.ids.indexOf(piece));
    });
    const length = parts.reduce((n, b) => n + b.length, 0);
    // Oldest first out: a Map iterates in insertion order.
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { version, operation, parts, length, slots, ids: stamps.ids.length });
    this.stats.stored += 1;
  }
}
