// The SDL is read once at start-up from src/schema/*.graphql (every type and field documented there).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

// src/schema beside this file's folder (sources; the image copies the SDL into dist/schema), else
// the repository's src/schema seen from dist/gateway (`npm run build && npm start` in a clone).
const CANDIDATES = [
  path.resolve(__dirname, '..', 'schema'),
  path.resolve(__dirname, '..', '..', 'src', 'schema'),
  path.resolve(__dirname, '..', '..', '..', 'src', 'schema'),
];

const hasSdl = (dir: string) => existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('.graphql'));

export function loadTypeDefs(dir = CANDIDATES.find(hasSdl)): string {
  if (!dir) throw new Error(`GraphQL schema directory not found (looked in ${CANDIDATES.join(', ')})`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort();
  if (!files.length) throw new Error(`no .graphql files in ${dir}`);
  return files.map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
}
