// The gateway under test, built exactly as `recs serve` builds it (from the environment), as a
// child process of serving.bench.ts; prints "READY <url>". BENCH_REQUEST_PATH=1 (bench:abuse)
// builds it with the request path's bounded pool and `producer` queue connection, as `recs serve`
// does; bench:serving keeps the figures it has always measured without them.
import { buildServices } from '../../src/app/services';
import { startGateway } from '../../src/app/start-gateway';
import { loadConfig } from '../../src/config/config';

async function main(): Promise<void> {
  const services = buildServices(loadConfig(), {
    name: 'gateway',
    requestPath: process.env.BENCH_REQUEST_PATH === '1',
  });
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
