// The public data sets that some tests and benchmarks read. They are not in the repository: each is
// found by its environment variable or in ../shared/datasets beside the repository, and tests
// that need an absent one are skipped with a message saying how to provide it.
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

const DATASETS = {
  'online-retail': { env: 'ONLINE_RETAIL_PATH', parts: ['online-retail', 'online_retail.csv.gz'] },
  retailrocket: { env: 'RETAILROCKET_PATH', parts: ['retailrocket', 'events.csv.gz'] },
} as const;

export type DatasetName = keyof typeof DATASETS;

/** Heavy tests (a whole data set) get this much time: they must not fail on a loaded machine. */
export const HEAVY_TEST_TIMEOUT_MS = 15 * 60_000;

function candidates(name: DatasetName): string[] {
  const d = DATASETS[name];
  const fromEnv = process.env[d.env];
  return fromEnv ? [path.resolve(fromEnv)] : [path.resolve(REPO_ROOT, '..', 'shared', 'datasets', ...d.parts)];
}

/** The data set's file, or undefined when it is not on this machine. */
export function datasetPath(name: DatasetName): string | undefined {
  return candidates(name).find((p) => existsSync(p));
}

/** Why the data set is missing and how to provide it. */
function missingDatasetMessage(name: DatasetName): string {
  return `data set ${name} not found (looked at ${candidates(name).join(', ')}); set ${DATASETS[name].env} to its file to run what needs it`;
}

/** For benchmarks: the file, or an error telling how to provide it. */
export function requireDataset(name: DatasetName): string {
  const file = datasetPath(name);
  if (!file) throw new Error(missingDatasetMessage(name));
  return file;
}

/** A describe block that runs only when the data set is present; otherwise skipped, with a message. */
export function describeWithDataset(name: DatasetName, title: string, body: (file: string) => void): void {
  const file = datasetPath(name);
  if (file) {
    describe(title, () => {
      body(file);
    });
    return;
  }
  console.warn(`skipping "${title}": ${missingDatasetMessage(name)}`);
  describe.skip(`${title} (skipped: ${name} data set absent)`, () => {
    body('');
  });
}

/** Writes the header and the first `lines` data lines of a gzip data set to a plain file. */
export async function writeDatasetSlice(file: string, lines: number, out: string): Promise<void> {
  const input = createInterface({ input: createReadStream(file).pipe(createGunzip()), crlfDelay: Infinity });
  const sink = createWriteStream(out);
  let n = 0;
  for await (const line of input) {
    sink.write(`${line}\n`);
    if (++n > lines) break;
  }
  input.close();
  await new Promise<void>((resolve, reject) =>
    sink.end((err?: Error | null) => {
      if (err) reject(err);
      else resolve();
    }),
  );
}
