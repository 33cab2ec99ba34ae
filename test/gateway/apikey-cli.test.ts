import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { createTestContext, type TestContext } from '../support/test-context';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'recs.js');

describe('recs apikey', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  const recs = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, 'apikey', ...args], {
      env: { ...process.env, DATABASE_SCHEMA: ctx.config.database.schema, LOG_LEVEL: 'silent' },
      encoding: 'utf8',
    });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('creates a key (printed once), lists it without the key, and revokes it by prefix', () => {
    const created = recs('create', '--role', 'ingest', '--name', 'pos feed');
    expect(created.code).toBe(0);
    const key = created.out.trim().split('\n')[1]!;
    expect(key).toMatch(/^rk_[A-Za-z0-9_-]{32}$/);
    const listed = recs('list');
    expect(listed.out).toContain('ingest');
    expect(listed.out).toContain('pos feed');
    expect(listed.out).not.toContain(key);
    const prefix = key.slice(0, 11);
    const revoked = recs('revoke', `${prefix}...`);
    expect(revoked.code).toBe(0);
    expect(revoked.out).toContain('revoked API key');
    expect(recs('list').out).toContain('revoked');
  });

  it('refuses an unknown role and an unknown key', () => {
    const bad = recs('create', '--role', 'root');
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('must be one of read, ingest, admin');
    const missing = recs('revoke', '99999');
    expect(missing.code).toBe(1);
    expect(missing.err).toContain('no API key');
  });
});
