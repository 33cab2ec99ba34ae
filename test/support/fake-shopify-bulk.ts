// Bulk operations for the fake Shopify Admin API: bulkOperationRunQuery validates and runs the
// query over the whole store (no paging), the operation moves CREATED -> RUNNING -> COMPLETED (or a
// scripted FAILED / EXPIRED) as it is polled, and the result is served as JSONL over the fake's
// own HTTP server: one line per node, a connection's nodes on lines of their own with `__parentId`;
// with groupObjects each parent's children follow it, without (the default since 2026-01) every
// child comes after all the parents, as an ungrouped Shopify file may.
import type http from 'node:http';
import { validate, parse, type GraphQLSchema } from 'graphql';

export type BulkOutcome = 'COMPLETED' | 'FAILED' | 'EXPIRED';

export interface FakeBulkOp {
  id: string;
  status: 'CREATED' | 'RUNNING' | BulkOutcome;
  query: string;
  polls: number;
  outcome: BulkOutcome;
  lines: string[];
  rootObjects: number;
}

export class FakeBulkOperations {
  readonly ops = new Map<string, FakeBulkOp>();
  /** Outcomes of the next operations, in order; COMPLETED when empty. */
  readonly outcomes: BulkOutcome[] = [];
  /** Polls an operation needs before it ends (it is RUNNING in between). */
  pollsToFinish = 2;
  /** The next JSONL download is cut (socket destroyed) after this many lines: a crash mid-stream. */
  cutNextDownloadAfterLines: number | null = null;
  /** The next JSONL download stalls (stays open, sends nothing more) after this many lines: kill the reader there. */
  holdNextDownloadAfterLines: number | null = null;
  downloads = 0;
  private seq = 0;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly baseUrl: () => string,
  ) {}

  /** bulkOperationRunQuery: `run` executes the query over the whole store. */
  async create(query: string, groupObjects: boolean, run: (query: string) => Promise<Record<string, unknown>>) {
    const busy = [...this.ops.values()].some((o) => o.status === 'CREATED' || o.status === 'RUNNING');
    if (busy)
      return {
        bulkOperation: null,
        userErrors: [
          { field: ['query'], message: 'A bulk query operation for this app and shop is already in progress.' },
        ],
      };
    const errors = validate(this.schema, parse(query));
    if (errors.length)
      return { bulkOperation: null, userErrors: errors.map((e) => ({ field: ['query'], message: e.message })) };
    const data = await run(query);
    const { lines, rootObjects } = flatten(data, groupObjects);
    this.seq += 1;
    const op: FakeBulkOp = {
      id: `gid://shopify/BulkOperation/${this.seq}`,
      status: 'CREATED',
      query,
      polls: 0,
      outcome: this.outcomes.shift() ?? 'COMPLETED',
      lines,
      rootObjects,
    };
    this.ops.set(op.id, op);
    return { bulkOperation: this.view(op), userErrors: [] };
  }

  /** node(id:) / currentBulkOperation: each poll moves the operation on. */
  poll(id: string): Record<string, unknown> | null {
    const op = this.ops.get(id);
    if (!op) return null;
    op.polls += 1;
    if (op.status === 'CREATED' || op.status === 'RUNNING')
      op.status = op.polls >= this.pollsToFinish ? op.outcome : 'RUNNING';
    return this.view(op);
  }

  current(): Record<string, unknown> | null {
    const last = [...this.ops.values()].pop();
    return last ? this.poll(last.id) : null;
  }

  /** GET /bulk/<n>.jsonl; false when the path is not a bulk result. */
  serve(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const m = req.url?.match(/^\/bulk\/(\d+)\.jsonl$/);
    if (req.method !== 'GET' || !m) return false;
    const op = this.ops.get(`gid://shopify/BulkOperation/${m[1]}`);
    if (op?.status !== 'COMPLETED') {
      res.writeHead(404).end();
      return true;
    }
    this.downloads += 1;
    const cut = this.cutNextDownloadAfterLines;
    this.cutNextDownloadAfterLines = null;
    const hold = this.holdNextDownloadAfterLines;
    this.holdNextDownloadAfterLines = null;
    res.writeHead(200, { 'content-type': 'application/jsonl' });
    if (hold !== null) {
      res.write(
        op.lines
          .slice(0, hold)
          .map((l) => `${l}\n`)
          .join(''),
      );
      return true;
    }
    if (cut === null) {
      res.end(op.lines.map((l) => `${l}\n`).join(''));
      return true;
    }
    // Flushed, then the connection drops: the reader has applied some lines when it fails.
    res.write(
      op.lines
        .slice(0, cut)
        .map((l) => `${l}\n`)
        .join(''),
      () => setTimeout(() => res.socket?.destroy(), 50),
    );
    return true;
  }

  private view(op: FakeBulkOp): Record<string, unknown> {
    const done = op.status === 'COMPLETED';
    const ran = done ? 1 : op.status === 'RUNNING' ? 0.5 : 0;
    return {
      __typename: 'BulkOperation',
      id: op.id,
      type: 'QUERY',
      query: op.query,
      status: op.status,
      errorCode: op.status === 'FAILED' ? 'INTERNAL_SERVER_ERROR' : null,
      objectCount: String(Math.floor(op.lines.length * ran)),
      rootObjectCount: String(Math.floor(op.rootObjects * ran)),
      url: done && op.lines.length ? `${this.baseUrl()}/bulk/${op.id.split('/').pop()}.jsonl` : null,
      partialDataUrl: null,
    };
  }
}

const isConnection = (v: unknown): v is { edges: { node: Record<string, unknown> }[] } =>
  !!v && typeof v === 'object' && Array.isArray((v as { edges?: unknown }).edges);

/** The JSONL of a bulk query's data: the top connection's nodes, each followed by its nested connections' nodes. */
function flatten(data: Record<string, unknown>, grouped: boolean): { lines: string[]; rootObjects: number } {
  const lines: string[] = [];
  const later: string[] = [];
  let rootObjects = 0;
  const emit = (node: Record<string, unknown>, parentId: string | null) => {
    const own: Record<string, unknown> = {};
    const children: [Record<string, unknown>, string][] = [];
    for (const [k, v] of Object.entries(node)) {
      if (isConnection(v)) for (const e of v.edges) children.push([e.node, String(node.id)]);
      else own[k] = v;
    }
    if (parentId && !grouped) later.push(JSON.stringify({ ...own, __parentId: parentId }));
    else lines.push(JSON.stringify(parentId ? { ...own, __parentId: parentId } : own));
    for (const [child, parent] of children) emit(child, parent);
  };
  for (const top of Object.values(data)) {
    if (!isConnection(top)) continue;
    for (const e of top.edges) {
      rootObjects += 1;
      emit(e.node, null);
    }
  }
  return { lines: [...lines, ...later], rootObjects };
}
