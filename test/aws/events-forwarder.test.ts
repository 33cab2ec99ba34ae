import { mockClient } from 'aws-sdk-client-mock';
import { PersonalizeEventsClient, PutEventsCommand } from '@aws-sdk/client-personalize-events';
import { forwardEvents } from '../../src/aws/events-forwarder';
import { createTestContext, type TestContext } from '../support/test-context';
import { awsError } from '../support/fake-personalize';
import { FAST_RETRY } from '../support/aws-engine-harness';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

async function seed(prefix: string, perUser: Record<string, number>): Promise<string[]> {
  const ids: string[] = [];
  let n = 0;
  for (const [userId, count] of Object.entries(perUser)) {
    for (let i = 0; i < count; i++) {
      const eventId = `${prefix}-${userId}-${i}`;
      ids.push(eventId);
      await t.db.prisma.event.create({
        data: {
          eventId,
          userId,
          productId: `p${i}`,
          eventType: 'view',
          eventValue: 1,
          occurredAt: new Date(1_700_000_000_000 + n++ * 1000),
          sessionId: `s-${userId}`,
          source: 'api',
        },
      });
    }
  }
  return ids;
}

describe('forwardEvents', () => {
  const client = new PersonalizeEventsClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  const mock = mockClient(client);
  beforeEach(() => mock.reset());

  it('sends PutEvents in batches of at most 10 per user and session, and marks the events forwarded', async () => {
    mock.on(PutEventsCommand).resolves({});
    const ids = await seed('a', { alice: 23, bob: 2 });
    const result = await forwardEvents({ db: t.db, client, trackingId: 'track-1', retry: FAST_RETRY }, ids);
    expect(result).toEqual({ forwarded: 25, alreadyForwarded: 0, skipped: 0, calls: 4, quarantined: 0 });
    const inputs = mock.commandCalls(PutEventsCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => [i.userId, i.sessionId, i.eventList?.length])).toEqual([
      ['alice', 's-alice', 10],
      ['alice', 's-alice', 10],
      ['alice', 's-alice', 3],
      ['bob', 's-bob', 2],
    ]);
    expect(inputs[0]?.trackingId).toBe('track-1');
    expect(inputs[0]?.eventList?.[0]).toMatchObject({
      eventId: 'a-alice-0',
      eventType: 'view',
      eventValue: 1,
      itemId: 'p0',
      sentAt: new Date(1_700_000_000_000),
    });
    expect(await t.db.prisma.event.count({ where: { eventId: { in: ids }, forwardedAt: null } })).toBe(0);
    // Sending the same ids again forwards nothing twice.
    const again = await forwardEvents({ db: t.db, client, trackingId: 'track-1', retry: FAST_RETRY }, ids);
    expect(again).toMatchObject({ forwarded: 0, alreadyForwarded: 25, calls: 0 });
  });

  it('retries throttled calls', async () => {
    mock.on(PutEventsCommand).rejectsOnce(awsError('ThrottlingException', 'Rate exceeded')).resolves({});
    const ids = await seed('b', { carol: 3 });
    const result = await forwardEvents({ db: t.db, client, trackingId: 'track-1', retry: FAST_RETRY }, ids);
    expect(result.forwarded).toBe(3);
    expect(mock.commandCalls(PutEventsCommand)).toHaveLength(2);
  });

  it('never loses an event when forwarding fails: it stays stored and unforwarded, and the error says so', async () => {
    mock.on(PutEventsCommand, { userId: 'dave' }).resolves({});
    // A failure retrying may cure (an invalid batch is quarantined instead: test/reliability/events-outbox).
    mock.on(PutEventsCommand, { userId: 'erin' }).rejects(awsError('ServiceUnavailableException', 'try later', 503));
    const ids = await seed('c', { dave: 2, erin: 2 });
    await expect(forwardEvents({ db: t.db, client, trackingId: 'track-1', retry: FAST_RETRY }, ids)).rejects.toThrow(
      /forwarding to Personalize failed for 1 batch\(es\) \(2 events forwarded, the rest kept\): 2 events of user erin: try later/,
    );
    const rows = await t.db.prisma.event.findMany({ where: { eventId: { in: ids } }, orderBy: { eventId: 'asc' } });
    expect(rows.map((r) => [r.userId, r.forwardedAt !== null])).toEqual([
      ['dave', true],
      ['dave', true],
      ['erin', false],
      ['erin', false],
    ]);
  });

  it('does nothing without a tracking id', async () => {
    const ids = await seed('d', { frank: 2 });
    expect(await forwardEvents({ db: t.db, client }, ids)).toEqual({
      forwarded: 0,
      alreadyForwarded: 0,
      skipped: 2,
      calls: 0,
      quarantined: 0,
    });
    expect(mock.commandCalls(PutEventsCommand)).toHaveLength(0);
  });
});
