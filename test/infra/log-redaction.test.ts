import { Writable } from 'node:stream';
import type pino from 'pino';
import { createLogger } from '../../src/infra/logger';
import { redactSecrets } from '../../src/infra/log-redaction';

function capture(): { lines: string[]; logger: pino.Logger } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: createLogger({ logLevel: 'info' }, 'test', sink) };
}

describe('log redaction', () => {
  it('censors secrets at any depth, in arrays, and URL passwords in strings, without changing the input', () => {
    const input = {
      config: {
        database: { url: 'postgresql://app:s3cret-pw@db:5432/recs' },
        shopify: { accessToken: 'shpat_abc', webhookSecret: 'whsec' },
        redis: { url: 'redis://:redis-pw@redis:6379' },
      },
      req: { headers: { authorization: 'Bearer rk_abcdefghijklmnopqrstuvwxyz', 'x-api-key': 'rk_x' } },
      list: [{ password: 'p1' }, { nested: [{ apiKey: 'k' }] }],
      harmless: 'postgresql://app@db/recs',
      count: 3,
    };
    const before = JSON.stringify(input);
    const out = redactSecrets(input);
    const text = JSON.stringify(out);
    for (const secret of [
      's3cret-pw',
      'shpat_abc',
      'whsec',
      'redis-pw',
      'rk_abcdefghijklmnopqrstuvwxyz',
      'rk_x',
      'p1',
      '"k"',
    ])
      expect(text).not.toContain(secret);
    expect(out.config.database.url).toBe('postgresql://app:***@db:5432/recs');
    expect(out.harmless).toBe('postgresql://app@db/recs');
    expect(out.count).toBe(3);
    expect(JSON.stringify(input)).toBe(before);
    // Nothing secret: the very same object, no copy.
    const clean = { a: { b: [1, 'two'] } };
    expect(redactSecrets(clean)).toBe(clean);
  });

  it('keeps errors errors, with secrets cut from their fields and message', () => {
    const err = Object.assign(new Error('connect to postgresql://u:hunter2@h/db failed'), {
      options: { password: 'hunter2' },
    });
    const out = redactSecrets(err);
    expect(out).toBeInstanceOf(Error);
    expect(out.message).toBe('connect to postgresql://u:***@h/db failed');
    expect(out.options.password).toBe('***');
    expect(err.message).toContain('hunter2');
  });

  it('is what createLogger writes: no secret in a real log line', () => {
    const { lines, logger } = capture();
    logger.info(
      { err: new Error('x'), deep: { a: { b: { c: { token: 'tok-123' } } } } },
      'reached postgresql://u:pw-in-message@h/db',
    );
    const line = lines.join('');
    expect(line).not.toContain('tok-123');
    expect(line).not.toContain('pw-in-message');
    expect(line).toContain('***');
  });
});
