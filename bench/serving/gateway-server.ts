// The gateway under test, configured from the environment like `recs serve`, as a child process of
// serving.bench.ts; prints "READY <url>".
import { pipelineNotWired } from '../../src/cli/commands/serve.command';
import { loadConfig } from '../../src/config/config';
import { createDatabase } from '../../src/db/database';
import { createGateway } from '../../src/gateway/create-gateway';
import { createLogger } from '../../src/infra/logger';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, 'gateway');
  const db = createDatabase(config);
  const gateway = await createGateway({
    config,
    logger,
    db,
    pipeline: pipelineNotWired(),
  });
  const { url } = await gateway.listen(0, '127.0.0.1');
  process.stdout.write(`READY ${url}\n`);
  process.once('SIGTERM', () => {
    void gateway.close().then(() => db.close()).then(() => process.exit(0));
  });
}

void main();
