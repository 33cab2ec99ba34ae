// Events are never left behind: events whose forwarding could not be queued wait in PostgreSQL
// (the outbox) and are forwarded from there, in time order per user, exactly once per event id,
// even with two drains at once; a recommendationId longer than PutEvents takes is left out of
// the call; an event Personalize refuses as invalid is quarantined instead of retried for ever.
import { mockClient } from 'aws-sdk-client-mock';
import { PersonalizeEventsClient, PutEventsCommand, type PutEventsRequest } from '@aws-sdk/client-personalize-events';
import { forwardOutbox } from '../../src/aws/events-forwarder';
import { FAST_RETRY } from '../support/aws-engine-harness';
import { awsError } from '../support/fake-personalize';
import { createTestContext, type TestContext } from '../support/test-context';

let t: TestContext;
const client = new PersonalizeEventsClient({
  region: 'us-east-1',
  credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
});
const mock = mockClient(client);
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());
beforeEach(async () => {
  mock.reset();
  await t.db.pool.query('TRUNCATE events');
});

/** Events stored by ingest whose forward job never reached the queue (forwarded_at NULL). */
async function stranded(users: Record<string, number>, recommendationId?: (user: string, i: number) => string) {
  let n = 0;
  for (const [userId, count] of Object.entries(users)) {
    for (let i = 0; i < count; i++) {
      await t.db.prisma.event.create({
        data: {
          eventId: `${userId}-${i}`,
          userId,
          productId: `p${i}`,
          eventType: 'view',
          // Stored out of time order: the drain must still send each user's events oldest first.
          occurredAt: new Date(1_700_000_000_000 + (count - i) * 1000 + n++),
          sessionId: `s-${userId}`,
          recommendationId: recommendationId?.(userId, i) ?? null,
          source: 'api',
        },
      });
    }
  }
}

const sent = () => mock.commandCalls(PutEventsCommand).map((c) => c.args[0].input);
const deps = () => ({ db: t.db, client, trackingId: 'track-1', retry: FAST_RETRY });

describe('the events outbox', () => {
  it('forwards every stranded event, oldest first per user, exactly once across concurrent drains', async () => {
    mock.on(PutEventsCommand).resolves({});
    await stranded({ ann: 23, bob: 4 });
    const [a, b] = await Promise.all([forwardOutbox(deps(), 10), forwardOutbox(deps(), 10)]);
    expect(a.forwarded + b.forwarded).toBe(27);
    const ids = sent().flatMap((c) => c.eventList?.map((e) => e.eventId) ?? []);
    expect(ids).toHaveLength(27);
    expect(new Set(ids).size).toBe(27);
    const annTimes = sent()
      .filter((c) => c.userId === 'ann')
      .flatMap((c) => c.eventList?.map((e) => e.sentAt?.getTime() ?? 0) ?? []);
    expect(annTimes).toEqual([...annTimes].sort((x, y) => x - y));
    expect(await t.db.prisma.event.count({ where: { forwardedAt: null } })).toBe(0);
    // Drained means drained: nothing is sent twice.
    expect(await forwardOutbox(deps())).toMatchObject({ forwarded: 0, calls: 0 });
  });

  it('leaves out a recommendationId PutEvents would refuse (over 40 characters), keeps it stored', async () => {
    mock.on(PutEventsCommand).resolves({});
    const long = 'x'.repeat(41);
    await stranded({ cat: 2 }, (_, i) => (i === 0 ? long : 'rec-ok'));
    await forwardOutbox(deps());
    const list = sent()[0]?.eventList ?? [];
    expect(list.map((e) => e.recommendationId)).toEqual(expect.arrayContaining([undefined, 'rec-ok']));
    expect((await t.db.prisma.event.findUnique({ where: { eventId: 'cat-0' } }))?.recommendationId).toBe(long);
  });

  it('quarantines the event Personalize refuses as invalid; the rest of its batch is forwarded; no retry', async () => {
    mock.on(PutEventsCommand).callsFake((input: PutEventsRequest) => {
      if (input.eventList?.some((e) => e.eventId === 'dan-2')) throw awsError('InvalidInputException', 'bad event');
      return {};
    });
    await stranded({ dan: 5 });
    const r = await forwardOutbox(deps());
    expect(r).toMatchObject({ forwarded: 4, quarantined: 1 });
    const bad = await t.db.prisma.event.findUnique({ where: { eventId: 'dan-2' } });
    expect(bad).toMatchObject({
      forwardedAt: null,
      forwardError: expect.stringContaining('refused it as invalid') as unknown,
    });
    mock.resetHistory();
    expect(await forwardOutbox(deps())).toMatchObject({ forwarded: 0, calls: 0 });
    expect(sent()).toHaveLength(0);
  });

  it('a transient failure keeps the events in the outbox; the next drain sends them', async () => {
    mock.on(PutEventsCommand).rejects(awsError('InternalFailure', 'down', 500));
    await stranded({ eve: 3 });
    await expect(forwardOutbox(deps())).rejects.toThrow(/forwarding to Personalize failed/);
    expect(await t.db.prisma.event.count({ where: { forwardedAt: null } })).toBe(3);
    mock.reset();
    mock.on(PutEventsCommand).resolves({});
    expect(await forwardOutbox(deps())).toMatchObject({ forwarded: 3 });
  });
});
