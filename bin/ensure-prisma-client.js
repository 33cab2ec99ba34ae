// A fresh clone has no generated Prisma client yet (npm runs no install scripts here): entry
// points that run the TypeScript sources call this first, and it generates the client once.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const root = path.join(__dirname, '..');

module.exports = function ensurePrismaClient() {
  if (fs.existsSync(path.join(root, 'src', 'generated', 'prisma', 'client.ts'))) return;
  const { status } = spawnSync(process.execPath, [path.join(root, 'scripts', 'prisma-generate.js')], {
    stdio: 'inherit',
  });
  if (status !== 0) process.exit(status ?? 1);
};
