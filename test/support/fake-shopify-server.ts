// A local stand-in for the Shopify Admin GraphQL API (node:http on 127.0.0.1, random port). It runs
// real GraphQL (graphql-js) over a subset of the pinned Admin schema, so queries that would not
// validate against Shopify fail here too, and it follows the documented contract: cursor
// pagination with pageInfo, `first` required and at most 250, `updated_at:` search filters,
// query cost with a leaky bucket (extensions.cost.throttleStatus, THROTTLED errors,
// MAX_COST_EXCEEDED above 1,000 points), 401 on a bad token. Faults are scriptable.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildSchema, graphql, Kind, parse } from 'graphql';
import { connection, gid, money, moneyBag, requestedCost, SDL, type ConnArgs } from './fake-shopify-schema';
import type { FxLine, FxOrder, FxStore } from './shopify-fixtures';
import { FakeBulkOperations } from './fake-shopify-bulk';

import { SHOPIFY_API_VERSION as API_VERSION } from '../../src/connectors/shopify/admin-client';

export type Fault =
  | { kind: 'status'; status: number; retryAfter?: string }
  | { kind: 'malformed-json' }
  | { kind: 'malformed-page' }
  | { kind: 'drain-bucket' };

export interface RequestLog {
  operation: string | null;
  variables: Record<string, unknown>;
  status: number;
  outcome: 'ok' | 'throttled' | 'fault' | 'down' | 'error';
  at: number;
}

export interface FakeShopifyOptions {
  accessToken?: string;
  maximumAvailable?: number;
  restoreRate?: number;
}

export class FakeShopifyServer {
  readonly log: RequestLog[] = [];
  /** Consumed one per GraphQL request, in order. */
  readonly faults: Fault[] = [];
  /** After this many successful `SyncOrders` pages the server stops answering (a crash mid-sync). */
  crashAfterPages: number | null = null;
  private down = false;
  private pagesServed = 0;
  private bucket: { available: number; at: number };
  private readonly schema = buildSchema(SDL);
  /** Bulk operations (bulkOperationRunQuery, polling, the JSONL result); outcomes and cuts are scriptable. */
  readonly bulk = new FakeBulkOperations(this.schema, () => `http://127.0.0.1:${this.port}`);
  private server: http.Server | undefined;
  readonly accessToken: string;
  readonly maximumAvailable: number;
  readonly restoreRate: number;
  port = 0;

  constructor(
    readonly store: FxStore,
    opts: FakeShopifyOptions = {},
  ) {
    this.accessToken = opts.accessToken ?? 'shpat_test_token';
    this.maximumAvailable = opts.maximumAvailable ?? 1000;
    this.restoreRate = opts.restoreRate ?? 50;
    this.bucket = { available: this.maximumAvailable, at: Date.now() };
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/admin/api/${API_VERSION}/graphql.json`;
  }

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => {
      if (this.server)
        this.server.close(() => {
          resolve();
        });
      else resolve();
    });
  }

  /** Comes back after a crash. */
  recover(): void {
    this.down = false;
    this.crashAfterPages = null;
  }

  ops(name: string): RequestLog[] {
    return this.log.filter((l) => l.operation === name);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(typeof body === 'string' ? body : JSON.stringify(body));
    };
    if (this.bulk.serve(req, res)) return;
    if (req.method !== 'POST' || req.url !== `/admin/api/${API_VERSION}/graphql.json`) {
      send(404, { errors: 'Not Found' });
      return;
    }
    if (req.headers['x-shopify-access-token'] !== this.accessToken) {
      send(401, { errors: '[API] Invalid API key or access token (unrecognized login or wrong password)' });
      return;
    }
    let body: { query?: string; variables?: Record<string, unknown>; operationName?: string };
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as typeof body;
    } catch {
      send(400, { errors: 'body is not JSON' });
      return;
    }
    const variables = body.variables ?? {};
    let doc: ReturnType<typeof parse>;
    try {
      doc = parse(body.query ?? '');
    } catch (err) {
      send(200, { errors: [{ message: (err as Error).message }] });
      return;
    }
    const opDef = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    const operation = opDef && 'name' in opDef && opDef.name ? opDef.name.value : null;
    const entry: RequestLog = { operation, variables, status: 200, outcome: 'ok', at: Date.now() };
    this.log.push(entry);

    if (this.down) {
      entry.outcome = 'down';
      entry.status = 0;
      req.socket.destroy();
      return;
    }
    const fault = this.faults.shift();
    if (fault?.kind === 'status') {
      entry.outcome = 'fault';
      entry.status = fault.status;
      send(
        fault.status,
        {
          errors:
            fault.status === 429
              ? 'Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.'
              : 'Internal Server Error',
        },
        fault.retryAfter ? { 'retry-after': fault.retryAfter } : {},
      );
      return;
    }
    if (fault?.kind === 'malformed-json') {
      entry.outcome = 'fault';
      send(200, '{"data":{"orders":{"pageInfo":{"hasNext');
      return;
    }
    // The leaky bucket: refill since the last request, then charge the requested cost or throttle.
    const now = Date.now();
    this.bucket.available = Math.min(
      this.maximumAvailable,
      this.bucket.available + ((now - this.bucket.at) / 1000) * this.restoreRate,
    );
    this.bucket.at = now;
    // Drained after the refill, so this request is throttled however slowly the machine runs.
    if (fault?.kind === 'drain-bucket') this.bucket.available = 0;
    const requested = requestedCost(doc, variables);
    const throttleStatus = () => ({
      maximumAvailable: this.maximumAvailable,
      currentlyAvailable: Math.floor(this.bucket.available),
      restoreRate: this.restoreRate,
    });
    if (requested > 1000) {
      entry.outcome = 'error';
      send(200, {
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (1000).`,
            extensions: { code: 'MAX_COST_EXCEEDED', cost: requested, maxCost: 1000 },
          },
        ],
        extensions: {
          cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus() },
        },
      });
      return;
    }
    if (requested > this.bucket.available) {
      entry.outcome = 'throttled';
      send(200, {
        errors: [
          {
            message: 'Throttled',
            extensions: { code: 'THROTTLED', documentation: 'https://shopify.dev/api/usage/rate-limits' },
          },
        ],
        extensions: {
          cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: throttleStatus() },
        },
      });
      return;
    }
    this.bucket.available -= requested;
    const result = await graphql({
      schema: this.schema,
      source: body.query ?? '',
      rootValue: this.root(),
      variableValues: variables,
      operationName: body.operationName,
    });
    const out: Record<string, unknown> = {
      ...result,
      extensions: {
        cost: { requestedQueryCost: requested, actualQueryCost: requested, throttleStatus: throttleStatus() },
      },
    };
    if (result.errors) out.errors = result.errors.map((e) => ({ message: e.message, path: e.path }));
    if (
      fault?.kind === 'malformed-page' &&
      result.data &&
      typeof result.data.orders === 'object' &&
      result.data.orders
    ) {
      entry.outcome = 'fault';
      delete (result.data.orders as Record<string, unknown>).pageInfo;
    }
    if (operation === 'SyncOrders' && entry.outcome === 'ok') {
      this.pagesServed += 1;
      if (this.crashAfterPages !== null && this.pagesServed >= this.crashAfterPages) this.down = true;
    }
    send(200, out);
  }

  private sortedOrders(search: string | null | undefined): FxOrder[] {
    let orders = [...this.store.orders.values()];
    const m = search?.match(/updated_at:(>=|>|<=|<)'?([^' ]+)'?/);
    if (m) {
      const at = Date.parse(m[2] as string);
      const op = m[1];
      orders = orders.filter((o) => {
        const u = Date.parse(o.updatedAt);
        return op === '>=' ? u >= at : op === '>' ? u > at : op === '<=' ? u <= at : u < at;
      });
    }
    return orders.sort((a, b) => (a.updatedAt === b.updatedAt ? a.id - b.id : a.updatedAt < b.updatedAt ? -1 : 1));
  }

  /** Runs a bulk query over the whole store: connections unpaged, as `edges`. */
  private async runBulkQuery(query: string): Promise<Record<string, unknown>> {
    const result = await graphql({ schema: this.schema, source: query, rootValue: this.root(true) });
    if (result.errors?.length) throw new Error(result.errors.map((e) => e.message).join('; '));
    return result.data ?? {};
  }

  private root(bulk = false): Record<string, unknown> {
    const store = this.store;
    const product = (id: number | null) => {
      const p = id === null ? undefined : store.products.get(id);
      return p
        ? {
            __typename: 'Product',
            id: gid('Product', p.id),
            title: p.title,
            productType: p.productType,
            priceRangeV2: { minVariantPrice: money(p.price), maxVariantPrice: money(p.price) },
          }
        : null;
    };
    const lineItem = (l: FxLine) => ({
      __typename: 'LineItem',
      id: gid('LineItem', l.id),
      title: l.title,
      quantity: l.quantity,
      originalUnitPriceSet: moneyBag(l.price),
      product: product(l.productId),
      customAttributes: l.attributes ?? [],
    });
    const refund = (o: FxOrder, r: FxOrder['refunds'][number]) => ({
      __typename: 'Refund',
      id: gid('Refund', r.id),
      createdAt: r.createdAt,
      refundLineItems: (args: ConnArgs) => {
        const lines = r.lines.map((l) => {
          const li = o.lines.find((x) => x.id === l.lineItemId) as FxLine;
          return {
            id: gid('RefundLineItem', l.id),
            quantity: l.quantity,
            priceSet: moneyBag(li.price),
            lineItem: lineItem(li),
          };
        });
        return connection(lines, args, (x) => x.id);
      },
    });
    const order = (o: FxOrder) => {
      const c = o.customerId === null ? undefined : store.customers.get(o.customerId);
      return {
        __typename: 'Order',
        id: gid('Order', o.id),
        createdAt: o.corrupt ? 'not-a-date' : o.createdAt,
        updatedAt: o.updatedAt,
        cancelledAt: o.cancelledAt,
        customer: c
          ? { id: gid('Customer', c.id), defaultAddress: c.city ? { city: c.city, province: c.province } : null }
          : null,
        customAttributes: o.attributes ?? [],
        lineItems: (args: ConnArgs) =>
          bulk
            ? { edges: o.lines.map((l) => ({ node: lineItem(l) })) }
            : connection(o.lines.map(lineItem), args, (x) => x.id),
        refunds: ({ first }: { first?: number }) => o.refunds.slice(0, first ?? undefined).map((r) => refund(o, r)),
      };
    };
    const byGid = (id: string) => {
      const m = id.match(/^gid:\/\/shopify\/(\w+)\/(\d+)$/);
      return m ? { type: m[1] as string, id: Number(m[2]) } : null;
    };
    const root: Record<string, unknown> = {
      orders: (args: ConnArgs & { query?: string | null }) => {
        if (bulk) return { edges: this.sortedOrders(args.query).map((o) => ({ node: order(o) })) };
        const keyed = this.sortedOrders(args.query).map((o) => ({
          key: `${o.updatedAt}|${String(o.id).padStart(12, '0')}`,
          o,
        }));
        const c = connection(keyed, args, (x) => x.key);
        return { pageInfo: c.pageInfo, nodes: c.nodes.map((x) => order(x.o)) };
      },
      products: (args: ConnArgs) => {
        const ids = [...store.products.keys()].sort((a, b) => a - b);
        if (bulk) return { edges: ids.map((id) => ({ node: product(id) })) };
        const c = connection(ids, args, (id) => String(id).padStart(12, '0'));
        return { pageInfo: c.pageInfo, nodes: c.nodes.map((id) => product(id)) };
      },
      ordersCount: ({ query }: { query?: string | null }) => ({
        count: this.sortedOrders(query).length,
        precision: 'EXACT',
      }),
      order: ({ id }: { id: string }) => {
        const ref = byGid(id);
        const o = ref?.type === 'Order' ? store.orders.get(ref.id) : undefined;
        return o ? order(o) : null;
      },
      nodes: ({ ids }: { ids: string[] }) => ids.map((id) => (root.node as (a: { id: string }) => unknown)({ id })),
      bulkOperationRunQuery: ({ query, groupObjects }: { query: string; groupObjects: boolean }) =>
        this.bulk.create(query, groupObjects, (q) => this.runBulkQuery(q)),
      currentBulkOperation: () => this.bulk.current(),
      node: ({ id }: { id: string }) => {
        const ref = byGid(id);
        if (ref?.type === 'BulkOperation') return this.bulk.poll(id);
        if (ref?.type === 'Refund') {
          for (const o of store.orders.values()) {
            const r = o.refunds.find((x) => x.id === ref.id);
            if (r) return refund(o, r);
          }
        }
        if (ref?.type === 'Order') {
          const o = store.orders.get(ref.id);
          return o ? order(o) : null;
        }
        return null;
      },
    };
    return root;
  }
}
