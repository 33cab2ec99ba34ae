// The response cache's numbering of GraphQL documents (its keys carry a small number instead of a
// 200-character query). Only documents whose answer was stored enter it (executed, valid, authorised:
// ResponseCache.store), and it is a segmented LRU: a new document waits in a small probation segment,
// and moves to the protected one when it is used again. A flood of distinct documents, each used
// once, only churns probation: the documents real clients send all the time stay protected.
// Numbers are never reused, so a key can never name another document's answer.
interface DocumentEntry {
  id: number;
  uses: number;
}

export class DocumentTable {
  private readonly probation = new Map<string, DocumentEntry>();
  private readonly protectedDocs = new Map<string, DocumentEntry>();
  private nextId = 0;

  constructor(
    private readonly probationSize: number,
    private readonly protectedSize: number,
  ) {}

  get size(): number {
    return this.probation.size + this.protectedDocs.size;
  }

  /** The document's number when it is known (counting the use), else undefined; never adds it. */
  use(query: string): number | undefined {
    const kept = this.protectedDocs.get(query);
    if (kept) {
      // Most recently used last (a Map iterates in insertion order).
      this.protectedDocs.delete(query);
      this.protectedDocs.set(query, kept);
      return kept.id;
    }
    const waiting = this.probation.get(query);
    if (!waiting) return undefined;
    waiting.uses += 1;
    if (waiting.uses >= 2) this.promote(query, waiting);
    return waiting.id;
  }

  /** The number of a document known now, without counting a use. */
  peek(query: string): number | undefined {
    return (this.protectedDocs.get(query) ?? this.probation.get(query))?.id;
  }

  /** Adds a document whose answer is being stored (to probation); returns its number. */
  register(query: string): number {
    const known = this.peek(query);
    if (known !== undefined) return known;
    const entry = { id: this.nextId++, uses: 1 };
    this.admit(this.probation, this.probationSize, query, entry);
    return entry.id;
  }

  private promote(query: string, entry: DocumentEntry): void {
    this.probation.delete(query);
    const demoted = this.admit(this.protectedDocs, this.protectedSize, query, entry);
    // The least recently used protected document gets one more chance in probation.
    if (demoted) this.admit(this.probation, this.probationSize, demoted[0], { ...demoted[1], uses: 1 });
  }

  /** Inserts, dropping (and returning) the least recently used entry when the segment is full. */
  private admit(
    segment: Map<string, DocumentEntry>,
    size: number,
    query: string,
    entry: DocumentEntry,
  ): [string, DocumentEntry] | null {
    let dropped: [string, DocumentEntry] | null = null;
    if (segment.size >= size) {
      const oldest = segment.entries().next();
      if (!oldest.done) {
        segment.delete(oldest.value[0]);
        dropped = oldest.value;
      }
    }
    segment.set(query, entry);
    return dropped;
  }
}
