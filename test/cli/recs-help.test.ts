import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
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

  it('prints the version of package.json with --version', () => {
    const pkg = JSON.parse(readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      version: string;
      license: string;
    };
    const out = execFileSync(process.execPath, [BIN, '--version'], {
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(out.trim()).toBe(pkg.version);
    // LICENSE says what package.json says.
    expect(pkg.license).toBe('MIT');
    expect(readFileSync(path.resolve(__dirname, '..', '..', 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
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
