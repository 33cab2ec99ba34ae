// GraphQL over fetch against the Shopify Admin API, with the API's own rate-limit contract:
// every response carries extensions.cost.throttleStatus (a leaky bucket of query-cost points),
// a throttled query answers errors[].extensions.code = THROTTLED, and an overloaded shop answers
// HTTP 429 with Retry-After. Waits are computed from those figures, never guessed.
import type { z } from 'zod';
import type { Logger } from '../../infra/logger';
import { ShopifyApiError, SyncAbortedError } from './shopify-errors';

/**
 * The one pinned Admin API version (the sync's URL, the fake server's, the docs). Shopify releases
 * one a quarter and supports each for 12 months: 2026-10 is supported until October 2027. Bump it
 * here (within the year) and re-run the connector tests.
 */
export const SHOPIFY_API_VERSION = '2026-10';

export function defaultAdminUrl(shop: string): string {
  return `https://${shop}/admin/api/${SHOPIFY_API_VERSION}/graphql.json`;
}

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface AdminClientOptions {
  endpoint: string;
  accessToken: string;
  logger: Logger;
  signal?: AbortSignal;
  /** Attempts for transient failures (network, 5xx, malformed answers). */
  maxAttempts?: number;
  /** Throttled answers and 429s are waited out, up to this many times per request. */
  maxThrottleWaits?: number;
  retryBaseMs?: number;
  requestTimeoutMs?: number;
  fetchImpl?: typeof fetch;
}

interface GraphqlBody {
  data?: unknown;
  errors?: { message?: string; extensions?: { code?: string } }[];
  extensions?: {
    cost?: { requestedQueryCost?: number; actualQueryCost?: number | null; throttleStatus?: ThrottleStatus };
  };
}

class TransientError extends Error {}

export class ShopifyAdminClient {
  private throttle: { status: ThrottleStatus; at: number } | undefined;
  private lastRequestedCost = 0;
  /** Each document's highest requested cost so far (costs vary with variables): the budget its next call needs. */
  private readonly costOf = new Map<string, number>();
  /** Figures for logs and tests: how often the client had to wait, and why. */
  readonly stats = { requests: 0, throttled: 0, tooManyRequests: 0, transientFailures: 0, waitedMs: 0 };

  constructor(private readonly opts: AdminClientOptions) {}

  /**
   * Runs one query; returns `data` parsed by `schema`, or throws ShopifyApiError / SyncAbortedError.
   * `costHint` is the caller's estimate when the cost depends on the variables (a list of ids).
   */
  async request<S extends z.ZodType>(
    query: string,
    variables: Record<string, unknown>,
    schema: S,
    costHint = 0,
  ): Promise<z.infer<S>> {
    const maxAttempts = this.opts.maxAttempts ?? 5;
    const maxThrottleWaits = this.opts.maxThrottleWaits ?? 30;
    let failures = 0;
    let throttleWaits = 0;
    for (;;) {
      await this.waitForBudget(costHint || (this.costOf.get(query) ?? Math.max(0, ...this.costOf.values())));
      try {
        const outcome = await this.attempt(query, variables, schema);
        if (outcome.kind === 'ok') return outcome.data;
        throttleWaits += 1;
        if (throttleWaits > maxThrottleWaits) {
          throw new ShopifyApiError(`still throttled after ${maxThrottleWaits} waits`, outcome.status, true);
        }
        await this.sleep(outcome.waitMs);
      } catch (err) {
        if (!(err instanceof TransientError)) throw err;
        failures += 1;
        this.stats.transientFailures += 1;
        if (failures >= maxAttempts) {
          throw new ShopifyApiError(`Shopify Admin API failed ${failures} times: ${err.message}`, null, true);
        }
        const base = this.opts.retryBaseMs ?? 500;
        const delay = Math.min(30_000, base * 2 ** (failures - 1)) * (0.75 + Math.random() * 0.5);
        this.opts.logger.warn(
          { attempt: failures, delayMs: Math.round(delay), reason: err.message },
          'shopify request failed; retrying',
        );
        await this.sleep(delay);
      }
    }
  }

  private async attempt<S extends z.ZodType>(
    query: string,
    variables: Record<string, unknown>,
    schema: S,
  ): Promise<{ kind: 'ok'; data: z.infer<S> } | { kind: 'wait'; waitMs: number; status: number }> {
    this.throwIfAborted();
    this.stats.requests += 1;
    const timeout = AbortSignal.timeout(this.opts.requestTimeoutMs ?? 30_000);
    const signal = this.opts.signal ? AbortSignal.any([this.opts.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await (this.opts.fetchImpl ?? fetch)(this.opts.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-shopify-access-token': this.opts.accessToken,
        },
        body: JSON.stringify({ query, variables }),
        signal,
      });
    } catch (err) {
      this.throwIfAborted();
      throw new TransientError(`network error: ${(err as Error).message}`);
    }
    if (res.status === 429) {
      this.stats.tooManyRequests += 1;
      await res.arrayBuffer().catch(() => undefined);
      const waitMs = parseRetryAfter(res.headers.get('retry-after')) ?? 1_000;
      this.opts.logger.info({ waitMs }, 'shopify answered 429; waiting Retry-After');
      return { kind: 'wait', waitMs, status: 429 };
    }
    const text = await res.text().catch((err: unknown) => {
      throw new TransientError(`reading the response failed: ${err instanceof Error ? err.message : String(err)}`);
    });
    if (res.status === 401 || res.status === 403) {
      throw new ShopifyApiError(
        `Shopify refused the access token (HTTP ${res.status}); check SHOPIFY_ACCESS_TOKEN and the app's read_orders/read_products/read_customers scopes`,
        res.status,
        false,
      );
    }
    if (res.status === 404) {
      throw new ShopifyApiError(
        `no Admin API at ${this.opts.endpoint} (HTTP 404); check SHOPIFY_SHOP / SHOPIFY_ADMIN_URL`,
        404,
        false,
      );
    }
    if (res.status >= 500 || res.status === 408) throw new TransientError(`HTTP ${res.status}`);
    if (res.status >= 400) {
      throw new ShopifyApiError(
        `Shopify rejected the query (HTTP ${res.status}): ${text.slice(0, 300)}`,
        res.status,
        false,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new TransientError(`malformed JSON (${text.length} bytes)`);
    }
    if (json === null || typeof json !== 'object') throw new TransientError('response body is not an object');
    const body = json as GraphqlBody;
    const cost = body.extensions?.cost;
    if (cost?.throttleStatus) {
      this.throttle = { status: cost.throttleStatus, at: Date.now() };
      this.lastRequestedCost = cost.requestedQueryCost ?? this.lastRequestedCost;
      if (cost.requestedQueryCost)
        this.costOf.set(query, Math.max(this.costOf.get(query) ?? 0, cost.requestedQueryCost));
    }
    if (body.errors?.length) {
      if (body.errors.some((e) => e.extensions?.code === 'THROTTLED' || e.message === 'Throttled')) {
        this.stats.throttled += 1;
        const t = cost?.throttleStatus;
        const need = (cost?.requestedQueryCost ?? this.lastRequestedCost) - (t?.currentlyAvailable ?? 0);
        const waitMs = t && t.restoreRate > 0 ? Math.max(50, Math.ceil((need / t.restoreRate) * 1000)) : 1_000;
        return { kind: 'wait', waitMs, status: res.status };
      }
      const messages = body.errors.map((e) => `${e.extensions?.code ?? 'ERROR'}: ${e.message ?? '?'}`).join('; ');
      throw new ShopifyApiError(`Shopify query failed: ${messages}`, res.status, false);
    }
    const parsed = schema.safeParse(body.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TransientError(`malformed data: ${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
    }
    return { kind: 'ok', data: parsed.data };
  }

  /** Waits until the bucket, refilled at restoreRate since the last answer, holds the next query's cost. */
  private async waitForBudget(cost: number): Promise<void> {
    if (!this.throttle || cost <= 0) return;
    const { status, at } = this.throttle;
    if (status.restoreRate <= 0) return;
    const refilled = Math.min(
      status.maximumAvailable,
      status.currentlyAvailable + ((Date.now() - at) / 1000) * status.restoreRate,
    );
    const need = Math.min(cost, status.maximumAvailable) - refilled;
    if (need > 0) await this.sleep(Math.ceil((need / status.restoreRate) * 1000));
  }

  private throwIfAborted(): void {
    if (this.opts.signal?.aborted) throw new SyncAbortedError();
  }

  private sleep(ms: number): Promise<void> {
    this.stats.waitedMs += ms;
    return new Promise((resolve, reject) => {
      this.throwIfAborted();
      const onAbort = () => {
        clearTimeout(timer);
        reject(new SyncAbortedError());
      };
      const timer = setTimeout(() => {
        this.opts.signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      this.opts.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/** Retry-After is seconds (possibly fractional) or an HTTP date. */
export function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}
