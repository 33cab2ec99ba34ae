// Whole-response cache per batch version. A cacheable answer (a read of batch data, no errors) is
// kept as a template: its serialised JSON with the recommendationIds and the response time cut out,
// so each later copy gets fresh ones. Entries of an older batch are never served; a batch change
// empties the cache.
//
// A template is one Buffer (its bytes live outside the V8 heap, so thousands of cached responses
// do not lengthen garbage-collection pauses) plus the offsets where stamps go back in. A copy is
// one Buffer.allocUnsafe (from Node's pool for answers under 4 KB) filled by copies and ASCII
// writes: serving a hit allocates almost nothing the garbage collector has to walk.
//
// An answer made with its shoppers' recent activity (re-ranking) carries their activity versions:
// before a copy is served the caller asks Redis for them (ResponseCache.find, then serve or stale),
// so a list an event has changed is never served, whichever gateway recorded the event.
import { randomUUID } from 'node:crypto';
import { DocumentTable } from './document-table';
import type { ServedExposure } from '../experiments';

/** The exposure a served list is, counted again each time a cached copy of it is served. */
type ListExposure = ServedExposure | null;

/** What a response stamped: its ids (re-stamped in cached copies), time, exposures and experiments epoch. */
export interface ResponseStamps {
  ids: string[];
  generatedAt: string;
  /** exposures[i]: the exposure the list of ids[i] is, or null. */
  exposures: ListExposure[];
  /** The served experiments' epoch the answer was made under (a cached copy of another is never used). */
  epoch: number;
  /** The shoppers the answer is about (recent-activity subjects): an event of one drops it. */
  subjects: string[];
  /** The cache's invalidation sequence when the request began (an answer older than a drop of its subject is not stored). */
  seq: number;
  /** Per list made with recent activity: its subjects' versions then (checked before each reuse). */
  activity: ActivityCheck[];
  /** Epoch ms after which the answer is not reused (a re-ranked list's weights decay); Infinity: none. */
  reuseUntil: number;
}

/** Subjects and the activity versions an answer was made at (recent-activity.ts: ActivityVersions). */
export interface ActivityCheck {
  subjects: string[];
  versions: string[];
}

export interface Template {
  version: number;
  operation: string;
  /** The answer without its stamps. */
  body: Buffer;
  /** cuts[i]: the offset in body where slot i's stamp goes back in (ascending). */
  cuts: number[];
  /** slots[i]: an index into the response's fresh ids, or -1 for the response time. */
  slots: number[];
  ids: number;
  /** The experiments epoch it was made under: answers of another never serve (variants may differ). */
  epoch: number;
  /** The exposures its lists are (counted again on each hit), or null when none. */
  exposures: NonNullable<ListExposure>[] | null;
  /** The subjects it is about (indexed in bySubject), or null. */
  subjects: string[] | null;
  /** The activity versions it was made at (all its lists'), or null when it read none. */
  check: ActivityCheck | null;
  reuseUntil: number;
}

/** A cached answer found for a request, to be checked (its `check`) and then served or found stale. */
export interface FoundAnswer {
  readonly key: string;
  readonly check: ActivityCheck | null;
  readonly template: Template;
}

export interface ResponseCacheStats {
  hits: number;
  misses: number;
  stored: number;
}

export interface RenderedResponse {
  body: Buffer;
  operation: string;
}

const MAX_CACHEABLE_QUERY = 4_096;
/** Documents numbered: clients send a handful; new ones wait in probation until used again. */
const PROTECTED_DOCUMENTS = 800;
const PROBATION_DOCUMENTS = 200;
/** Starts the key of a document not yet in the table: store() numbers it, render() finds nothing. */
const PENDING = '\u0002';
/** Per entry beyond its answer and key: the template object, its arrays, the Map slot, heap slack (measured: about 1.5 KB). */
const ENTRY_OVERHEAD_BYTES = 1_536;

/** Marks a document known by its APQ hash (U+0003 cannot appear in a valid GraphQL document). */
const APQ_DOCUMENT = '\u0003apq:';
const SHA256_HEX = /^[0-9a-f]{64}$/;
/**
 * Subjects whose drop is remembered (with its sequence number), so an answer computed before the
 * drop but finishing after it is not stored. Past this many, answers begun before the oldest
 * remembered drop are not stored at all (conservative).
 */
const REMEMBERED_DROPS = 100_000;

function persistedQueryHash(extensions: unknown): string | null {
  if (typeof extensions !== 'object' || extensions === null) return null;
  const pq = (extensions as { persistedQuery?: unknown }).persistedQuery;
  if (typeof pq !== 'object' || pq === null) return null;
  const { version, sha256Hash } = pq as { version?: unknown; sha256Hash?: unknown };
  return version === 1 && typeof sha256Hash === 'string' && SHA256_HEX.test(sha256Hash) ? sha256Hash : null;
}

function entryCost(key: string, body: Buffer): number {
  return body.length + 2 * key.length + ENTRY_OVERHEAD_BYTES;
}

export class ResponseCache {
  private readonly entries = new Map<string, Template>();
  private readonly documents = new DocumentTable(PROBATION_DOCUMENTS, PROTECTED_DOCUMENTS);
  readonly stats: ResponseCacheStats = { hits: 0, misses: 0, stored: 0 };

  /** What the entries hold, as counted against maxBytes. */
  private bytes = 0;

  /** Keys of the entries about each subject. */
  private readonly bySubject = new Map<string, Set<string>>();
  /** Bumped on each drop of a subject and each clear. */
  private seq = 0;
  /** subject -> seq of its last drop (insertion order = drop order, oldest first). */
  private readonly drops = new Map<string, number>();
  /** Answers begun before this sequence number are not stored (drops forgotten, or a clear). */
  private floor = 0;

  /** The served experiments' epoch now (set by the gateway); 0 without experiments. */
  epochOf: () => number = () => 0;
  /** Counts the exposures of a cached answer served again (set by the gateway). */
  onReplay: (exposures: NonNullable<ListExposure>[]) => void = () => undefined;

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes = Number.POSITIVE_INFINITY,
  ) {}

  get enabled(): boolean {
    return this.maxEntries > 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Memory the entries are counted as holding: answers, keys and a fixed cost for bookkeeping. */
  get sizeBytes(): number {
    return this.bytes;
  }

  /** Documents numbered now (bounded; only those whose answer was stored). */
  get documentCount(): number {
    return this.documents.size;
  }

  /**
   * The key of one request: its document (as a small number: documents are few, variables many,
   * and a key per cached answer should not repeat a 200-character query), operation name and
   * variables. Looking a key up never adds a document to the table: a document not in it gets a
   * pending key, which store() numbers once the answer has been executed and found storable, so
   * junk (invalid, refused or failing documents) never enters the table. Document numbers are never
   * reused, so a key can never name another document's answer; entries of dropped documents age out.
   */
  key(query: string, variables: unknown, operationName: unknown): string {
    const tail = `\u0001${typeof operationName === 'string' ? operationName : ''}\u0001${variables === undefined ? '' : JSON.stringify(variables)}`;
    const id = this.documents.use(query);
    return id === undefined ? `${PENDING}${query}${tail}` : `${id}${tail}`;
  }

  /**
   * A pending key with its document's number (registering the document when `register`), or null
   * when that document is not numbered. GraphQL documents cannot hold U+0001 (a control
   * character), so the first one ends the query.
   */
  private settle(key: string, register: boolean): string | null {
    if (!key.startsWith(PENDING)) return key;
    const end = key.indexOf('\u0001');
    if (end < 0) return null;
    const query = key.slice(PENDING.length, end);
    const id = register ? this.documents.register(query) : this.documents.peek(query);
    return id === undefined ? null : `${id}${key.slice(end)}`;
  }

  /**
   * The key of a POSTed GraphQL body whose answer might be cached, or null: mutations and big
   * documents (recordEvents batches) never are, so they skip the key work.
   */
  keyOfBody(body: unknown): string | null {
    if (typeof body !== 'object' || body === null) return null;
    const { query, variables, operationName, extensions } = body as Record<string, unknown>;
    // Automatic persisted queries: a request may carry only the document's sha256 (Apollo checks
    // that a hash sent with a query is that query's). The hash names the document for both forms,
    // so hash-only requests hit the answers stored by the request that registered it.
    const hash = persistedQueryHash(extensions);
    if (hash !== null) {
      if (typeof query === 'string' && query.startsWith('mutation')) return null;
      return this.key(`${APQ_DOCUMENT}${hash}`, variables, operationName);
    }
    if (typeof query !== 'string' || query.length > MAX_CACHEABLE_QUERY || query.startsWith('mutation')) return null;
    return this.key(query, variables, operationName);
  }

  /** The invalidation sequence now (a request records it when it begins: ResponseStamps.seq). */
  get invalidationSeq(): number {
    return this.seq;
  }

  /** Drops everything; answers still being computed are not stored either. */
  clear(): void {
    this.entries.clear();
    this.bySubject.clear();
    this.bytes = 0;
    this.seq += 1;
    this.floor = this.seq;
  }

  /** A subject's activity changed: its cached answers go, and answers begun before now are not stored. */
  forget(subjects: readonly string[]): void {
    for (const subject of subjects) {
      this.seq += 1;
      this.drops.delete(subject);
      this.drops.set(subject, this.seq);
      for (const key of this.bySubject.get(subject) ?? []) {
        const entry = this.entries.get(key);
        if (entry) this.remove(key, entry);
      }
      this.bySubject.delete(subject);
    }
    while (this.drops.size > REMEMBERED_DROPS) {
      const oldest = this.drops.entries().next();
      if (oldest.done) break;
      this.drops.delete(oldest.value[0]);
      this.floor = Math.max(this.floor, oldest.value[1]);
    }
  }

  /** Whether an answer about `subjects`, begun at `seq`, may still be stored. */
  private current(subjects: readonly string[], seq: number): boolean {
    if (seq < this.floor) return false;
    return subjects.every((s) => (this.drops.get(s) ?? -1) <= seq);
  }

  /** The rendered response, or null when absent or from another batch (answers without an activity check). */
  render(pendingOrKey: string, version: number): RenderedResponse | null {
    const found = this.find(pendingOrKey, version);
    if (!found?.check) return found && this.serve(found);
    // Its caller cannot check it: not served, not dropped.
    this.stats.misses += 1;
    return null;
  }

  /** The cached answer for this request, or null (a miss) when absent, past its reuse or from another batch or epoch. */
  find(pendingOrKey: string, version: number): FoundAnswer | null {
    const key = this.settle(pendingOrKey, false);
    const t = key === null ? undefined : this.entries.get(key);
    if (key === null || !t || t.version !== version || t.epoch !== this.epochOf()) {
      this.stats.misses += 1;
      return null;
    }
    if (t.reuseUntil <= Date.now()) {
      this.remove(key, t);
      this.stats.misses += 1;
      return null;
    }
    return { key, check: t.check, template: t };
  }

  /** A found answer whose check failed: a miss, and the entry goes (unless replaced meanwhile). */
  stale(found: FoundAnswer): void {
    this.stats.misses += 1;
    if (this.entries.get(found.key) === found.template) this.remove(found.key, found.template);
  }

  /** A found answer re-stamped with fresh ids and time (a hit). */
  serve(found: FoundAnswer): RenderedResponse {
    const t = found.template;
    this.stats.hits += 1;
    if (t.exposures) this.onReplay(t.exposures);
    const ids: string[] = new Array<string>(t.ids);
    let length = t.body.length;
    for (let i = 0; i < t.ids; i++) ids[i] = randomUUID();
    const now = new Date().toISOString();
    for (const slot of t.slots) length += slot < 0 ? now.length : (ids[slot]?.length ?? 0);
    const out = Buffer.allocUnsafe(length);
    let from = 0;
    let at = 0;
    for (let i = 0; i < t.slots.length; i++) {
      // cuts and slots have one entry per placeholder, so neither fallback is ever taken.
      const cut = t.cuts[i] ?? from;
      const slot = t.slots[i] ?? -1;
      at += t.body.copy(out, at, from, cut);
      at += out.write(slot < 0 ? now : (ids[slot] ?? ''), at, 'latin1');
      from = cut;
    }
    t.body.copy(out, at, from);
    return { body: out, operation: t.operation };
  }

  private remove(key: string, entry: Template): void {
    this.entries.delete(key);
    this.bytes -= entryCost(key, entry.body);
    for (const subject of entry.subjects ?? []) {
      const keys = this.bySubject.get(subject);
      keys?.delete(key);
      if (keys?.size === 0) this.bySubject.delete(subject);
    }
  }

  /** Called only for answers executed without errors, of cacheable reads the caller was allowed. */
  store(
    pendingOrKey: string,
    version: number,
    operation: string,
    body: string,
    stamps: Pick<ResponseStamps, 'ids' | 'generatedAt'> & Partial<ResponseStamps>,
  ): void {
    const epoch = stamps.epoch ?? 0;
    // Made under experiments that no longer serve: its variants may not be the subjects' now.
    if (!this.enabled || epoch !== this.epochOf()) return;
    const subjects = stamps.subjects?.length ? stamps.subjects : null;
    // An event of one of its subjects arrived while it was computed: it may be stale already.
    if (subjects && !this.current(subjects, stamps.seq ?? this.seq)) return;
    const key = this.settle(pendingOrKey, true);
    if (key === null) return;
    // Where each stamp stands in the body (the ids and the time are distinct fixed strings).
    const found: { at: number; length: number; slot: number }[] = [];
    const find = (token: string, slot: number) => {
      for (let at = body.indexOf(token); at >= 0; at = body.indexOf(token, at + token.length))
        found.push({ at, length: token.length, slot });
    };
    stamps.ids.forEach((id, i) => {
      find(id, i);
    });
    find(stamps.generatedAt, -1);
    found.sort((x, y) => x.at - y.at);
    const pieces: string[] = [];
    const cuts: number[] = [];
    const slots: number[] = [];
    let from = 0;
    let offset = 0;
    for (const f of found) {
      const piece = body.slice(from, f.at);
      pieces.push(piece);
      offset += Buffer.byteLength(piece, 'utf8');
      cuts.push(offset);
      slots.push(f.slot);
      from = f.at + f.length;
    }
    const stripped = pieces.length ? pieces.join('') + body.slice(from) : body;
    // Its own exact-size memory: a slice of Node's shared 8 KB pool would keep the whole pool (and
    // the short-lived buffers around it) alive for as long as the entry lives.
    const bytes = Buffer.allocUnsafeSlow(Buffer.byteLength(stripped, 'utf8'));
    bytes.write(stripped, 0, 'utf8');
    const cost = entryCost(key, bytes);
    if (cost > this.maxBytes) return;
    const replaced = this.entries.get(key);
    if (replaced) this.remove(key, replaced);
    // Oldest first out: a Map iterates in insertion order.
    for (const [oldKey, old] of this.entries) {
      if (this.entries.size < this.maxEntries && this.bytes + cost <= this.maxBytes) break;
      this.remove(oldKey, old);
    }
    const listed = (stamps.exposures ?? []).filter((e): e is NonNullable<ListExposure> => e !== null);
    const exposures = listed.length ? listed : null;
    const checks = stamps.activity ?? [];
    this.entries.set(key, {
      version,
      operation,
      body: bytes,
      cuts,
      slots,
      ids: stamps.ids.length,
      epoch,
      exposures,
      subjects,
      check: checks.length
        ? { subjects: checks.flatMap((c) => c.subjects), versions: checks.flatMap((c) => c.versions) }
        : null,
      reuseUntil: stamps.reuseUntil ?? Number.POSITIVE_INFINITY,
    });
    for (const subject of subjects ?? []) {
      let keys = this.bySubject.get(subject);
      if (!keys) this.bySubject.set(subject, (keys = new Set()));
      keys.add(key);
    }
    this.bytes += cost;
    this.stats.stored += 1;
  }
}
