// ENGINE=aws with re-ranking: events recorded through the gateway still go to Personalize's
// PutEvents (the events-forward worker, its client mocked with aws-sdk-client-mock), and the same
// session-aware re-ranking applies on top of the batch output the AWS pipeline loaded. The mocked
// clients exist only in this process, so the workers run in it (aws-pipeline-harness.ts).
import { mockClient } from 'aws-sdk-client-mock';
import { PersonalizeEventsClient, PutEventsCommand } from '@aws-sdk/client-personalize-events';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { startAwsPipeline, waitForRun, type AwsPipeline } from '../support/aws-pipeline-harness';
import { waitFor } from '../support/wait-for';

interface Item {
  product: { id: string };
  source: string;
  reason: { kind: string; productIds: string[] };
}
type Recs = { recommendations: { items: Item[] } };
const RECS = `query($u: ID) { recommendations(userId: $u, limit: 5) { items { product { id } source reason { kind productIds } } } }`;
const RECORD = `mutation($e: [EventInput!]!) { recordEvents(events: $e) { accepted } }`;

describe('ENGINE=aws: PutEvents as before, re-ranking on top of the batch output', () => {
  const events = mockClient(PersonalizeEventsClient);
  let p: AwsPipeline;
  let shopper = '';
  let viewed = '';
  let related: string[] = [];
  let batchList: string[] = [];

  beforeAll(async () => {
    events.on(PutEventsCommand).resolves({});
    p = await startAwsPipeline(
      ({ products, customers }) => {
        shopper = customers[0]!;
        batchList = products.slice(0, 5);
        viewed = products[29]!;
        related = products.slice(20, 23);
        return {
          respond: (recipe, input) => {
            if (recipe === 'similar-items') {
              const items = input.itemId === viewed ? related : products.slice(10, 13);
              return { recommendedItems: items, scores: items.map((_, i) => 0.9 - i * 0.1) };
            }
            if (recipe === 'user-personalization')
              return { recommendedItems: batchList, scores: batchList.map((_, i) => 0.9 - i * 0.1) };
            return { recommendedItems: products.slice(0, 3) };
          },
        };
      },
      { PERSONALIZE_TRACKING_ID: 'track-rt', EXCLUDE_PURCHASED: 'false' },
    );
    const started = await p.services.pipeline.startRun({ recipes: ['user-personalization', 'similar-items'] });
    const run = await waitForRun(p.services, started.id);
    expect(run.status).toBe('succeeded');
  }, 180_000);
  afterAll(async () => {
    await p.close();
    events.restore();
  });

  it('forwards a recorded view to PutEvents and re-ranks the AWS batch list by it', async () => {
    const recs = async () => {
      const r = await p.gql<Recs>(RECS, { u: shopper });
      expect(r.errors).toBeUndefined();
      return r.data!.recommendations.items;
    };
    const before = await recs();
    expect(before.map((i) => i.product.id)).toEqual(batchList);
    expect(before.every((i) => i.source === 'PERSONALIZED')).toBe(true);

    const key = (await createApiKey(p.t.db.pool, 'ingest')).key;
    const r = await p.gql<{ recordEvents: { accepted: number } }>(
      RECORD,
      { e: [{ userId: shopper, sessionId: 'visit-aws', productId: viewed, eventType: 'view' }] },
      key,
    );
    expect(r.errors).toBeUndefined();
    expect(r.data!.recordEvents.accepted).toBe(1);

    // The next request reflects it (the state is written before the acknowledgement).
    const after = await recs();
    expect(after[0]).toMatchObject({
      product: { id: related[0] },
      source: 'REALTIME',
      reason: { kind: 'RECENT_ACTIVITY', productIds: [viewed] },
    });
    expect(after.map((i) => i.product.id)).toEqual(expect.arrayContaining(related.slice(0, 2)));

    // And Personalize still gets the event (the forwarder runs on the events-forward queue).
    const call = await waitFor('PutEvents', () => Promise.resolve(events.commandCalls(PutEventsCommand)[0]), 30_000);
    expect(call.args[0].input).toMatchObject({
      trackingId: 'track-rt',
      userId: shopper,
      sessionId: 'visit-aws',
      eventList: [expect.objectContaining({ eventType: 'view', itemId: viewed })],
    });
  });
});
