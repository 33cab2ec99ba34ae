// The SDL is read once at start-up from src/schema/*.graphql (every type and field documented there).
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const CANDIDATES = [
  path.resolve(__dirname, '..', 'schema'),
  path.resolve(__dirname, '..', '..', '..', 'src', 'schema'),
];

export function loadTypeDefs(dir = CANDIDATES.find((d) => existsSync(d))): string {
  if (!dir) throw new Error(`GraphQL schema directory not found (looked in ${CANDIDATES.join(', ')})`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.graphql'))
    .sort();
  if (!files.length) throw new Error(`no .graphql files in ${dir}`);
  return files.map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
}
