#!/usr/bin/env node
// The `recs` command. From a clone it runs the TypeScript sources through tsx (a development
// dependency), so no build step is needed to try it; `npm start`, the container image and any
// RECS_USE_DIST=1 run the compiled dist/ (`npm run build`) with production dependencies only.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const compiled = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
let cli;
if (process.env.RECS_USE_DIST === '1') {
  if (!fs.existsSync(compiled)) {
    process.stderr.write(
      `error: ${compiled} is missing: run \`npm run build\` first (RECS_USE_DIST=1 runs the compiled code)\n`,
    );
    process.exit(1);
  }
  cli = require(compiled);
} else {
  require('./ensure-prisma-client')();
  try {
    require.resolve('tsx/cjs');
  } catch {
    process.stderr.write(
      'error: tsx (a development dependency) is not installed: run `npm ci`, or `npm run build` and `npm start` / RECS_USE_DIST=1\n',
    );
    process.exit(1);
  }
  require('tsx/cjs');
  cli = require('../src/cli/main.ts');
}
cli.main(process.argv);
