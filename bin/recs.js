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
  require('./ensure-prisma-client')();
  require('tsx/cjs');
  cli = require('../src/cli/main.ts');
}
cli.main(process.argv);
