// Turns a request's key (Authorization: Bearer <key>, or x-api-key) into a role. Lookups are kept
// in memory for `ttlMs`, so a revoked key stops working within that time in every gateway (while
// the database fails, a known key keeps its last answer: STALE_WHILE_FAILING_MS). A
// publishable key is bound to its allowed origins: from any other Origin (or none) it is refused.
import type { Pool } from 'pg';
import type { Logger } from '../../infra/logger';
import { hashKey, isRole, looksLikeKey, type Role } from './api-keys';

export type AuthState =
  | { kind: 'anonymous' }
  | { kind: 'key'; role: Role; keyId: number }
  /** A publishable key used from one of its allowed origins: reads and recordEvents only. */
  | { kind: 'publishable'; keyId: number; origins: readonly string[] }
  | { kind: 'invalid'; reason: string }
  /** A key was sent but could not be checked (database down): open reads still work. */
  | { kind: 'unchecked'; reason: string };

/**
 * While key lookups fail (PostgreSQL down or hung), a key checked within this long past its cache
 * time keeps its last answer: a storefront's key must not wait out the database's bounds on every
 * request, nor turn into "cannot be checked". A revocation made meanwhile counts once a lookup answers.
 */
const STALE_WHILE_FAILING_MS = 15 * 60_000;

interface CachedLookup {
  at: number;
  state: AuthState;
}

export function originOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const origin = headers['origin'];
  return typeof origin === 'string' ? origin : undefined;
}

export function keyFromHeaders(headers: Record<string, string | string[] | undefined>): string | null {
  const auth = headers['authorization'];
  if (typeof auth === 'string' && auth.length) {
    const match = /^Bearer\s+(\S+)$/i.exec(auth);
    return match?.[1] ?? auth;
  }
  const x = headers['x-api-key'];
  return typeof x === 'string' && x.length ? x : null;
}

export class Authenticator {
  private readonly cache = new Map<string, CachedLookup>();
  private readonly lastTouched = new Map<number, number>();
  private readonly inflight = new Map<string, Promise<AuthState>>();
  /** Whether the last key lookup failed (the database is down or hung). */
  private failing = false;

  constructor(
    private readonly pool: Pool,
    private readonly logger: Logger,
    private readonly ttlMs = 10_000,
  ) {}

  /** The answer straight from memory when fresh; undefined means "ask authenticate()". */
  peek(key: string | null, origin?: string, now = Date.now()): AuthState | undefined {
    if (key === null) return { kind: 'anonymous' };
    const hit = this.cache.get(key);
    return hit && now - hit.at < this.ttlMs ? bindToOrigin(hit.state, origin) : undefined;
  }

  /** `origin` is the request's Origin header: it decides whether a publishable key counts. */
  async authenticate(key: string | null, origin?: string): Promise<AuthState> {
    if (key === null) return { kind: 'anonymous' };
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && now - hit.at < this.ttlMs) return bindToOrigin(hit.state, origin);
    const stale = hit && now - hit.at < this.ttlMs + STALE_WHILE_FAILING_MS ? hit.state : undefined;
    const lookup = this.lookupOnce(key);
    if (stale && this.failing) {
      // The database is failing: the key's last answer now, rather than every request waiting out
      // the lookup's bounds; the lookup goes on in the background and replaces it when it answers.
      lookup.catch((err: unknown) => {
        this.logger.debug({ err }, 'API key re-check failed; its last answer stands');
      });
      return bindToOrigin(stale, origin);
    }
    try {
      return bindToOrigin(await lookup, origin);
    } catch (err) {
      if (!stale) throw err;
      this.logger.warn({ err }, 'API key could not be re-checked; its last answer stands while the database fails');
      return bindToOrigin(stale, origin);
    }
  }

  /** One lookup per key at a time, however many requests carry it. */
  private lookupOnce(key: string): Promise<AuthState> {
    const pending = this.inflight.get(key);
    if (pending) return pending;
    const lookup = this.lookup(key)
      .then(
        (state) => {
          this.failing = false;
          if (this.cache.size > 10_000) this.cache.clear();
          this.cache.set(key, { at: Date.now(), state });
          return state;
        },
        (err: unknown) => {
          this.failing = true;
          throw err;
        },
      )
      .finally(() => this.inflight.delete(key));
    this.inflight.set(key, lookup);
    return lookup;
  }

  private async lookup(key: string): Promise<AuthState> {
    if (!looksLikeKey(key)) return { kind: 'invalid', reason: 'malformed API key' };
    const { rows } = await this.pool.query<{
      id: number;
      role: string;
      revoked_at: Date | null;
      allowed_origins: string[];
    }>(
      'SELECT id, role, revoked_at, coalesce(allowed_origins, ARRAY[]::text[]) AS allowed_origins FROM api_keys WHERE key_hash = $1',
      [hashKey(key)],
    );
    const row = rows[0];
    if (!row) return { kind: 'invalid', reason: 'unknown API key' };
    if (row.revoked_at) return { kind: 'invalid', reason: 'revoked API key' };
    if (!isRole(row.role)) return { kind: 'invalid', reason: 'API key has no valid role' };
    this.touch(row.id);
    if (row.role === 'publishable') return { kind: 'publishable', keyId: row.id, origins: row.allowed_origins };
    return { kind: 'key', role: row.role, keyId: row.id };
  }

  /** last_used_at, at most once a minute per key, off the request path. */
  private touch(id: number): void {
    const now = Date.now();
    if (now - (this.lastTouched.get(id) ?? 0) < 60_000) return;
    this.lastTouched.set(id, now);
    this.pool.query('UPDATE api_keys SET last_used_at = now() WHERE id = $1', [id]).catch((err: unknown) => {
      this.logger.warn({ err, keyId: id }, 'could not record API key use');
    });
  }
}

/** A publishable key counts only from one of its origins; browsers set Origin and scripts cannot change it. */
function bindToOrigin(state: AuthState, origin: string | undefined): AuthState {
  if (state.kind !== 'publishable' || (origin !== undefined && state.origins.includes(origin))) return state;
  return {
    kind: 'invalid',
    reason:
      origin === undefined
        ? 'a publishable key works only from a browser page on one of its allowed origins (no Origin header)'
        : `this publishable key is not allowed from origin ${origin.slice(0, 100)}`,
  };
}

// publishable never appears with kind 'key' (lookup gives it its own kind); read level if it did.
const RANK: Record<Role, number> = { publishable: 0, read: 0, ingest: 1, admin: 2 };

/** Whether a state may do what `needed` requires; reads are open when readAuth is 'open'. */
export function authorize(
  state: AuthState,
  needed: Role,
  readAuth: 'open' | 'key',
): 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN' {
  if (state.kind === 'invalid') return 'UNAUTHENTICATED';
  // Reads and recordEvents (the ingest role's one operation); never administration.
  if (state.kind === 'publishable') return needed === 'admin' ? 'FORBIDDEN' : 'ok';
  if (state.kind === 'anonymous' || state.kind === 'unchecked')
    return needed === 'read' && readAuth === 'open' ? 'ok' : 'UNAUTHENTICATED';
  return RANK[state.role] >= RANK[needed] ? 'ok' : 'FORBIDDEN';
}

/**
 * Customer data (a customer's city, spend and orders, a product's likely buyers, what a customer
 * bought as revealed by excludeInteracted) needs a secret API key of any role, whatever READ_AUTH
 * says: open reads are for storefronts, which must never see other customers' data. Publishable
 * keys ship in storefront JavaScript, so they never qualify.
 */
export function authorizeCustomerData(state: AuthState): 'ok' | 'UNAUTHENTICATED' | 'FORBIDDEN' {
  if (state.kind === 'key') return 'ok';
  return state.kind === 'publishable' ? 'FORBIDDEN' : 'UNAUTHENTICATED';
}

/** The message for a refusal of customer data. */
export const CUSTOMER_DATA_REFUSAL =
  'customer data needs a secret API key (any role), whatever READ_AUTH says: send "Authorization: Bearer <key>"';
