import { execFileSync } from 'node:child_process';
import path from 'node:path';

const BIN = path.resolve(__dirname, '..', '..', 'bin', 'recs.js');

describe('recs --help', () => {
  it('runs the CLI through bin/recs.js and lists every command', () => {
    const out = execFileSync(process.execPath, [BIN, '--help'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    for (const command of [
      'migrate',
      'import',
      'generate',
      'worker',
      'pipeline',
      'serve',
      'demo',
      'evaluate',
      'apikey',
      'sync',
      'aws',
      'doctor',
    ]) {
      expect(out).toMatch(new RegExp(`^  ${command}\\b`, 'm'));
    }
  });

  it('names the bad variable and exits 2 on invalid configuration', () => {
    let status = 0;
    let stderr = '';
    try {
      execFileSync(process.execPath, [BIN, 'doctor'], {
        encoding: 'utf8',
        stdio: 'pipe',
        env: { ...process.env, NODE_OPTIONS: '', PORT: 'eighty' },
      });
    } catch (err) {
      const e = err as { status: number; stderr: string };
      status = e.status;
      stderr = e.stderr;
    }
    expect(status).toBe(2);
    expect(stderr).toContain('PORT');
  });
});
