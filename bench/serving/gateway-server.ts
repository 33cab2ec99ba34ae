// The gateway under test, built exactly as `recs serve` builds it (from the environment), as a
// child process of serving.bench.ts; prints "READY <url>".
import { buildServices } from '../../src/app/services';
import { startGateway } from '../../src/app/start-gateway';
import { loadConfig } from '../../src/config/config';

async function main(): Promise<void> {
  const services = buildServices(loadConfig(), { name: 'gateway' });
  const gateway = await startGateway(services);
  const { url } = await gateway.listen(0, '127.0.0.1');
  process.stdout.write(`READY ${url}\n`);
  process.once('SIGTERM', () => {
    void gateway
      .close()
      .then(() => services.close())
      .then(() => {
        process.exitCode = 0;
      });
  });
}

void main();
