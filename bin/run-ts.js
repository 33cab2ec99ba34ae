#!/usr/bin/env node
// Runs one TypeScript file (benchmarks, scripts) through tsx: `node bin/run-ts.js FILE [args]`.
'use strict';
const path = require('node:path');
require('./ensure-prisma-client')();
require('tsx/cjs');
const file = process.argv[2];
if (!file) {
  console.error('usage: node bin/run-ts.js FILE.ts [args...]');
  process.exit(2);
}
process.argv.splice(1, 2, path.resolve(file));
require(path.resolve(file));
