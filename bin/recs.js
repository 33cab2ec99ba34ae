#!/usr/bin/env node
// The `recs` command. Runs the TypeScript sources through tsx so a fresh clone needs no build
// step; the container image runs the compiled dist/ instead (see Dockerfile).
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const compiled = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
let cli;
if (process.env.RECS_USE_DIST === '1' && fs.existsSync(compiled)) {
  cli = require(compiled);
} else {
  // A fresh clone has no generated Prisma client yet (npm runs no install scripts here): make it.
  if (!fs.existsSync(path.join(__dirname, '..', 'src', 'generated', 'prisma', 'client.ts'))) {
    const { status } = require('node:child_process').spawnSync(process.execPath, [path.join(__dirname, '..', 'scripts', 'prisma-generate.js')], { stdio: 'inherit' });
    if (status !== 0) process.exit(status ?? 1);
  }
  require('tsx/cjs');
  cli = require('../src/cli/main.ts');
}
cli.main(process.argv);
