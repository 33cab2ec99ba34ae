// Redis key layout of the hot layer. Keys carry the batch version, so bumping the version (after
// each load) makes every older hot entry unreachable; TTLs then reclaim them.
export function batchVersionKey(prefix: string): string {
  return `${prefix}:cache:batch-version`;
}

export function hotKey(prefix: string, batchVersion: number, kind: string, id: string): string {
  return `${prefix}:cache:v${batchVersion}:${kind}:${id}`;
}
