// API keys: random secrets shown once, stored only as sha256 hashes; the prefix identifies a key to
// humans (`recs apikey list`) without revealing it.
import { createHash, randomBytes } from 'node:crypto';
import type { PrismaClient } from '../../generated/prisma/client';

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

export async function createApiKey(prisma: PrismaClient, role: Role, name = `${role} key`): Promise<{ key: string; info: ApiKeyInfo }> {
  const key = `rk_${randomBytes(24).toString('base64url')}`;
  const row = await prisma.apiKey.create({
    data: { name: name.slice(0, 100), role, prefix: key.slice(0, 11), keyHash: hashKey(key) },
  });
  return { key, info: toInfo(row) };
}

/** Revokes by numeric id or by prefix; returns the revoked key (revoking twice is harmless). */
export async function revokeApiKey(prisma: PrismaClient, ref: string): Promise<ApiKeyInfo> {
  const where = /^\d+$/.test(ref) ? { id: Number(ref) } : { prefix: ref };
  const found = await prisma.apiKey.findMany({ where });
  if (found.length !== 1) {
    if (found.length > 1) throw new Error(`prefix "${ref}" matches ${found.length} keys; revoke by id`);
    throw new ApiKeyNotFoundError(ref);
  }
  const row = found[0]!;
  const updated = await prisma.apiKey.update({ where: { id: row.id }, data: { revokedAt: row.revokedAt ?? new Date() } });
  return toInfo(updated);
}

export async function listApiKeys(prisma: PrismaClient): Promise<ApiKeyInfo[]> {
  const rows = await prisma.apiKey.findMany({ orderBy: { id: 'asc' } });
  return rows.map(toInfo);
}

function toInfo(row: ApiKeyInfo & { keyHash?: string }): ApiKeyInfo {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    prefix: row.prefix,
    createdAt: row.createdAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}
