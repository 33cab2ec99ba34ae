// A process that records events through EventIngest (group commit) as fast as it can, 16 calls at
// a time, and prints "ACK <eventId>" for each event only once record() has answered it accepted.
// test/serving/event-group-commit.test.ts kills it (SIGKILL) mid-stream and checks the database.
import { loadConfig } from '../../src/config/config';
import { createDatabase } from '../../src/db/database';
import { createLogger } from '../../src/infra/logger';
import { EventIngest } from '../../src/serving/event-ingest';

async function main(): Promise<void> {
  const config = loadConfig();
  const db = createDatabase(config, { max: 4 });
  const ingest = new EventIngest(db.pool, null, createLogger({ logLevel: 'silent' }), 2);
  let n = 0;
  const caller = async (): Promise<never> => {
    for (;;) {
      const batch = Array.from({ length: 1 + (n % 3) }, () => {
        n += 1;
        return { userId: `u${n % 50}`, productId: `p${n % 20}`, eventType: 'view', eventId: `kill-${n}` };
      });
      const result = await ingest.record(batch);
      if (result.accepted !== batch.length) throw new Error(`accepted ${result.accepted} of ${batch.length}`);
      process.stdout.write(batch.map((e) => `ACK ${e.eventId}\n`).join(''));
    }
  };
  await Promise.all(Array.from({ length: 16 }, caller));
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exitCode = 1;
});
