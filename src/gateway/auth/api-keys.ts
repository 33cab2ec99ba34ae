// API keys: random secrets shown once, stored only as sha256 hashes; the prefix identifies a key to
// humans (`recs apikey list`) without revealing it.
import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { oneRow } from '../../db/one-row';

export const ROLES = ['read', 'ingest', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

const KEY_PATTERN = /^rk_[A-Za-z0-9_-]{20,100}$/;

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
}

export class ApiKeyNotFoundError extends Error {
  constructor(readonly ref: string) {
    super(`no API key with id or prefix "${ref}"`);
    this.name = 'ApiKeyNotFoundError';
  }
}

// Plain SQL on the pg pool (not Prisma): the gateway's request path and tests use the pool only.
const COLUMNS = `id, name, role, prefix, created_at AS "createdAt", revoked_at AS "revokedAt", last_used_at AS "lastUsedAt"`;

export async function createApiKey(
  pool: Pool,
  role: Role,
  name = `${role} key`,
): Promise<{ key: string; info: ApiKeyInfo }> {
  const key = `rk_${randomBytes(24).toString('base64url')}`;
  const { rows } = await pool.query<ApiKeyInfo>(
    `INSERT INTO api_keys (name, role, prefix, key_hash) VALUES ($1, $2, $3, $4) RETURNING ${COLUMNS}`,
    [name.slice(0, 100), role, key.slice(0, 11), hashKey(key)],
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
