// Dashboard sessions: an API key exchanged once for a random cookie token, so a browser never
// keeps the key. Only the token's sha256 is stored; each session carries the key's role and a
// CSRF token the page must echo in a header. Lookups are not cached: sign-out and key revocation
// end a session at once.
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { hashKey, isRole, type Role } from './api-keys';

export interface Session {
  role: Role;
  keyId: number;
  csrfToken: string;
  expiresAt: Date;
}

export class SessionStore {
  constructor(
    private readonly pool: Pool,
    private readonly ttlMs: number,
  ) {}

  /** A new session for a checked key; returns the cookie token (shown to nobody but the browser). */
  async create(keyId: number, role: Role): Promise<{ token: string; session: Session }> {
    const token = randomBytes(32).toString('base64url');
    const csrfToken = randomBytes(24).toString('base64url');
    const expiresAt = new Date(Date.now() + this.ttlMs);
    await this.pool.query(
      `INSERT INTO dashboard_sessions (token_hash, api_key_id, role, csrf_token, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [hashKey(token), keyId, role, csrfToken, expiresAt],
    );
    // Expired sessions are dropped as new ones are made: no sweeper process needed.
    await this.pool.query('DELETE FROM dashboard_sessions WHERE expires_at < now()');
    return { token, session: { role, keyId, csrfToken, expiresAt } };
  }

  /** The live session of a token: null when unknown, expired, or its key was revoked. */
  async find(token: string): Promise<Session | null> {
    const { rows } = await this.pool.query<{ role: string; api_key_id: number; csrf_token: string; expires_at: Date }>(
      `SELECT s.role, s.api_key_id, s.csrf_token, s.expires_at
         FROM dashboard_sessions s JOIN api_keys k ON k.id = s.api_key_id
        WHERE s.token_hash = $1 AND s.expires_at > now() AND k.revoked_at IS NULL`,
      [hashKey(token)],
    );
    const row = rows[0];
    if (!row || !isRole(row.role)) return null;
    return { role: row.role, keyId: row.api_key_id, csrfToken: row.csrf_token, expiresAt: row.expires_at };
  }

  async delete(token: string): Promise<void> {
    await this.pool.query('DELETE FROM dashboard_sessions WHERE token_hash = $1', [hashKey(token)]);
  }
}
