import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const available = spawnSync('docker-compose', ['version'], { encoding: 'utf8' }).status === 0;
if (!available) console.warn('docker-compose is not installed: the compose file checks are skipped');
const maybe = available ? describe : describe.skip;

function config(env: Record<string, string>): { status: number | null; out: string } {
  const clean = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !/^(POSTGRES_|REDIS_PASSWORD)/.test(k)),
  ) as Record<string, string>;
  const r = spawnSync('docker-compose', ['-f', 'docker-compose.yml', 'config'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...clean, ...env },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

maybe('docker-compose.yml (validated with `docker-compose -f docker-compose.yml config`)', () => {
  it('refuses to start without credentials from the environment: no default passwords', () => {
    const noPg = config({ REDIS_PASSWORD: 'redis-pw' });
    expect(noPg.status).not.toBe(0);
    expect(noPg.out).toContain('set POSTGRES_PASSWORD');
    const noRedis = config({ POSTGRES_PASSWORD: 'pg-pw' });
    expect(noRedis.status).not.toBe(0);
    expect(noRedis.out).toContain('set REDIS_PASSWORD');
  });

  it('puts the given credentials into PostgreSQL, Redis (requirepass) and the app URLs', () => {
    const r = config({ POSTGRES_PASSWORD: 'pg-pw-1', REDIS_PASSWORD: 'redis-pw-1' });
    expect(r.status).toBe(0);
    expect(r.out).toContain('DATABASE_URL: postgresql://recs:pg-pw-1@postgres:5432/recs');
    expect(r.out).toContain('REDIS_URL: redis://:redis-pw-1@redis:6379');
    expect(r.out).toContain('--requirepass');
    expect(r.out).not.toMatch(/POSTGRES_PASSWORD: postgres\b/);
  });

  it('makes the object-store volume writable by the image’s non-root user', () => {
    const dockerfile = execFileSync('cat', [path.join(ROOT, 'Dockerfile')], { encoding: 'utf8' });
    expect(dockerfile).toMatch(/chown node:node \/data\/object-store[\s\S]*USER node/);
    expect(config({ POSTGRES_PASSWORD: 'a', REDIS_PASSWORD: 'b' }).out).toContain('/data/object-store');
  });
});
