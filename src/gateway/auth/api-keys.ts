// API keys: random secrets shown once, stored only as sha256 hashes; the prefix identifies a key to
// humans (`recs apikey list`) without revealing it. A publishable key (`pk_...`, like Shopify's
// Storefront API tokens) is meant to be seen: it ships in storefront JavaScript, may only read and
// record events, works only from its allowed browser origins and is rate-limited per IP.
import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { oneRow } from '../../db/one-row';

export const ROLES = ['read', 'ingest', 'admin', 'publishable'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

const KEY_PATTERN = /^(rk|pk)_[A-Za-z0-9_-]{20,100}$/;

/** A browser origin as the Origin header sends it: scheme, host and an optional port, nothing else. */
const ORIGIN_PATTERN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/;

export function isOrigin(value: string): boolean {
  return ORIGIN_PATTERN.test(value);
}

export class InvalidApiKeyRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidApiKeyRequestError';
  }
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function looksLikeKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

export interface ApiKeyInfo {
  id: number;
  name: string;
  role: string;
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
  allowedOrigins: string[];
}

export class ApiKeyNotFoundError extends Error {
  constructor(readonly ref: string) {
    super(`no API key with id or prefix "${ref}"`);
    this.name = 'ApiKeyNotFoundError';
  }
}

// Plain SQL on the pg pool (not Prisma): the gateway's request path and tests use the pool only.
const COLUMNS = `id, name, role, prefix, created_at AS "createdAt", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt", coalesce(allowed_origins, ARRAY[]::text[]) AS "allowedOrigins"`;

/** Creates a key; a publishable one needs the origins it may be used from (and only it takes any). */
export async function createApiKey(
  pool: Pool,
  role: Role,
  name = `${role} key`,
  allowedOrigins: string[] = [],
): Promise<{ key: string; info: ApiKeyInfo }> {
  if (role === 'publishable' && !allowedOrigins.length)
    throw new InvalidApiKeyRequestError('a publishable key needs at least one allowed origin');
  if (role !== 'publishable' && allowedOrigins.length)
    throw new InvalidApiKeyRequestError('only publishable keys are bound to origins');
  const bad = allowedOrigins.filter((o) => !isOrigin(o));
  if (bad.length)
    throw new InvalidApiKeyRequestError(`not an origin (scheme://host[:port], lower case, no path): ${bad.join(', ')}`);
  const key = `${role === 'publishable' ? 'pk' : 'rk'}_${randomBytes(24).toString('base64url')}`;
  const { rows } = await pool.query<ApiKeyInfo>(
    `INSERT INTO api_keys (name, role, prefix, key_hash, allowed_origins) VALUES ($1, $2, $3, $4, $5) RETURNING ${COLUMNS}`,
    [name.slice(0, 100), role, key.slice(0, 11), hashKey(key), [...new Set(allowedOrigins)]],
  );
  return { key, info: oneRow(rows, 'INSERT INTO api_keys') };
}

/** Revokes by numeric id or by prefix; returns the revoked key (revoking twice is harmless). */
export async function revokeApiKey(pool: Pool, ref: string): Promise<ApiKeyInfo> {
  const byId = /^\d{1,9}$/.test(ref);
  const { rows } = await pool.query<ApiKeyInfo>(
    `SELECT ${COLUMNS} FROM api_keys WHERE ${byId ? 'id = $1::int' : 'prefix = $1'}`,
    [ref],
  );
  if (rows.length > 1) throw new Error(`prefix "${ref}" matches ${rows.length} keys; revoke by id`);
  if (!rows.length) throw new ApiKeyNotFoundError(ref);
  const updated = await pool.query<ApiKeyInfo>(
    `UPDATE api_keys SET revoked_at = coalesce(revoked_at, now()) WHERE id = $1 RETURNING ${COLUMNS}`,
    [oneRow(rows, 'SELECT api key').id],
  );
  return oneRow(updated.rows, 'UPDATE api_keys');
}

export async function listApiKeys(pool: Pool): Promise<ApiKeyInfo[]> {
  const { rows } = await pool.query<ApiKeyInfo>(`SELECT ${COLUMNS} FROM api_keys ORDER BY id`);
  return rows;
}

/** Every origin an active publishable key may be used from (what CORS lets in besides CORS_ORIGINS). */
export async function publishableOrigins(pool: Pool): Promise<string[]> {
  const { rows } = await pool.query<{ origin: string }>(
    `SELECT DISTINCT unnest(allowed_origins) AS origin FROM api_keys WHERE role = 'publishable' AND revoked_at IS NULL`,
  );
  return rows.map((r) => r.origin);
}
