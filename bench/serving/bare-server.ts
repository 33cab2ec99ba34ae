// The baseline: a bare Apollo Server (same Express 5 integration) answering a one-field query from
// one Redis GET. Started as a child process by serving.bench.ts; prints "READY <url>".
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import express from 'express';
import { Redis } from 'ioredis';

async function main(): Promise<void> {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const server = new ApolloServer({
    typeDefs: `type Query { cached(key: String!): String }`,
    resolvers: { Query: { cached: (_: unknown, args: { key: string }) => redis.get(args.key) } },
  });
  await server.start();
  const app = express();
  app.use('/graphql', express.json(), expressMiddleware(server));
  const http = app.listen(0, '127.0.0.1', () => {
    const address = http.address();
    process.stdout.write(`READY http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}\n`);
  });
  process.once('SIGTERM', () => {
    http.close();
    void server
      .stop()
      .then(() => redis.quit())
      .then(() => process.exit(0));
  });
}

void main();
