import express, { Router } from 'express';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway } from '../support/gateway-harness';

describe('extra routers (deps.routers)', () => {
  let ctx: TestContext;
  beforeAll(async () => {
    ctx = await createTestContext();
  });
  afterAll(() => ctx.close());

  it('are mounted at their path, ahead of the GraphQL JSON parser (raw bodies stay raw)', async () => {
    const router = Router();
    router.post('/', express.raw({ type: '*/*' }), (req, res) => {
      res.json({ bytes: (req.body as Buffer).length, raw: (req.body as Buffer).toString('utf8') });
    });
    const h = await startGateway(ctx, { routers: [{ path: '/webhooks/test', router }] });
    try {
      const res = await fetch(`${h.url}/webhooks/test`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"a": 1}',
      });
      expect(await res.json()).toEqual({ bytes: 8, raw: '{"a": 1}' });
      expect((await h.gql('{ __typename }')).body.data).toEqual({ __typename: 'Query' });
    } finally {
      await h.close();
    }
  });
});
