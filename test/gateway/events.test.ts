import { Queue } from 'bullmq';
import { createApiKey } from '../../src/gateway/auth/api-keys';
import { createLogger } from '../../src/infra/logger';
import { EventIngest, parseTimestamp, validateEvent } from '../../src/serving/event-ingest';
import type { EventsForwardJobData } from '../../src/queues/registry';
import { createTestContext, type TestContext } from '../support/test-context';
import { startGateway, type Harness } from '../support/gateway-harness';

const RECORD = `mutation($events: [EventInput!]!) { recordEvents(events: $events) { accepted duplicates rejected { index eventId reason } forwarded } }`;
type Result = {
  recordEvents: {
    accepted: number;
    duplicates: number;
    rejected: { index: number; eventId: string | null; reason: string }[];
    forwarded: boolean;
  };
};

const RECORD_CHECKED = `mutation($events: [EventInput!]!) { recordEvents(events: $events) { accepted userErrors { field message code } } }`;
type Recorded = {
  recordEvents: { accepted: number; userErrors: { field: string[] | null; message: string; code: string }[] };
};

describe('recordEvents', () => {
  let ctx: TestContext;
  let h: Harness;
  let key: string;

  beforeAll(async () => {
    ctx = await createTestContext({ PERSONALIZE_TRACKING_ID: 'tracking-123' });
    key = (await createApiKey(ctx.db.pool, 'ingest')).key;
    h = await startGateway(ctx);
  });
  afterAll(async () => {
    await h.close();
    await ctx.close();
  });

  it('stores valid events with source api, and queues them for forwarding', async () => {
    const r = await h.gql<Result>(
      RECORD,
      {
        events: [
          {
            userId: 'c1',
            productId: 'p1',
            eventType: 'view',
            eventId: 'ev-1',
            timestamp: '1701187200',
            recommendationId: 'rec-1',
            sessionId: 's1',
          },
          {
            userId: 'c1',
            productId: 'p2',
            eventType: 'purchase',
            eventValue: 2,
            eventId: 'ev-2',
            timestamp: '2024-01-02T03:04:05Z',
          },
          { userId: 'c2', productId: 'p3', eventType: 'cart' },
        ],
      },
      key,
    );
    expect(r.body.data!.recordEvents).toEqual({ accepted: 3, duplicates: 0, rejected: [], forwarded: true });
    const { rows } = await ctx.db.pool.query<{ event_id: string; occurred_at: Date } & Record<string, unknown>>(
      `SELECT event_id, user_id, product_id, event_type, event_value, occurred_at, recommendation_id, session_id, source FROM events ORDER BY id`,
    );
    expect(rows[0]).toMatchObject({
      event_id: 'ev-1',
      event_type: 'view',
      recommendation_id: 'rec-1',
      session_id: 's1',
      source: 'api',
    });
    expect(rows[0]!.occurred_at.toISOString()).toBe('2023-11-28T16:00:00.000Z');
    expect(rows[1]).toMatchObject({ event_id: 'ev-2', event_value: 2 });
    expect(rows[1]!.occurred_at.toISOString()).toBe('2024-01-02T03:04:05.000Z');
    expect(rows[2]!.event_id).toMatch(/^[0-9a-f-]{36}$/);
    const queue = new Queue<EventsForwardJobData>('events-forward', {
      connection: { url: ctx.config.redis.url },
      prefix: ctx.config.redis.prefix,
    });
    try {
      const jobs = await queue.getJobs(['waiting']);
      expect(jobs).toHaveLength(1);
      expect(jobs[0]!.data.eventIds.sort()).toEqual(rows.map((row) => row.event_id).sort());
    } finally {
      await queue.close();
    }
  });

  it('skips events whose id is already stored or repeated in the call', async () => {
    const r = await h.gql<Result>(
      RECORD,
      {
        events: [
          { userId: 'c1', productId: 'p1', eventType: 'view', eventId: 'ev-1' },
          { userId: 'c1', productId: 'p1', eventType: 'view', eventId: 'ev-3' },
          { userId: 'c1', productId: 'p1', eventType: 'view', eventId: 'ev-3' },
        ],
      },
      key,
    );
    expect(r.body.data!.recordEvents).toMatchObject({ accepted: 1, duplicates: 2, rejected: [] });
  });

  it('rejects invalid events with a reason each and stores the rest', async () => {
    const r = await h.gql<Result>(
      RECORD,
      {
        events: [
          { userId: '', productId: 'p1', eventType: 'view' },
          { userId: 'c1', productId: 'x'.repeat(256), eventType: 'view' },
          { userId: 'c1', productId: 'p1', eventType: 'bad type!' },
          { userId: 'c1', productId: 'p1', eventType: 'view', timestamp: 'yesterday', eventId: 'bad-ts' },
          {
            userId: 'c1',
            productId: 'p1',
            eventType: 'view',
            timestamp: String(Math.round(Date.now() / 1000) + 3 * 86400),
          },
          { userId: 'c1', productId: 'p1', eventType: 'view', eventId: 'ok-1' },
        ],
      },
      key,
    );
    const res = r.body.data!.recordEvents;
    expect(res.accepted).toBe(1);
    expect(res.rejected.map((x) => x.index)).toEqual([0, 1, 2, 3, 4]);
    expect(res.rejected[0]!.reason).toContain('userId is required');
    expect(res.rejected[1]!.reason).toContain('productId must be 1-255');
    expect(res.rejected[2]!.reason).toContain('eventType');
    expect(res.rejected[3]).toMatchObject({ eventId: 'bad-ts' });
    expect(res.rejected[3]!.reason).toContain('neither ISO-8601 nor Unix seconds');
    expect(res.rejected[4]!.reason).toContain('future');
  });

  it('refuses more than 1,000 events per call and an empty list as userErrors, storing nothing', async () => {
    const before = (await ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n;
    const many = Array.from({ length: 1001 }, (_, i) => ({
      userId: 'c1',
      productId: 'p1',
      eventType: 'view',
      eventId: `bulk-${i}`,
    }));
    const r = await h.gql<Recorded>(RECORD_CHECKED, { events: many }, key);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data!.recordEvents).toMatchObject({
      accepted: 0,
      userErrors: [{ field: ['events'], code: 'INVALID' }],
    });
    expect(r.body.data!.recordEvents.userErrors[0]!.message).toContain('at most 1000');
    const empty = await h.gql<Recorded>(RECORD_CHECKED, { events: [] }, key);
    expect(empty.body.data!.recordEvents.userErrors).toEqual([
      { field: ['events'], code: 'INVALID', message: 'events must not be empty' },
    ]);
    expect((await ctx.db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM events')).rows[0]!.n).toBe(before);
  });

  it('accepts exactly 1,000 events', async () => {
    const many = Array.from({ length: 1000 }, (_, i) => ({
      userId: `u${i}`,
      productId: 'p1',
      eventType: 'view',
      eventId: `k-${i}`,
    }));
    const r = await h.gql<Result>(RECORD, { events: many }, key);
    expect(r.body.data!.recordEvents.accepted).toBe(1000);
  });

  describe('validateEvent and parseTimestamp', () => {
    it('reads Unix seconds and ISO-8601, and refuses the rest', () => {
      expect(parseTimestamp('1701187200')!.toISOString()).toBe('2023-11-28T16:00:00.000Z');
      expect(parseTimestamp('2024-05-01T00:00:00+02:00')!.toISOString()).toBe('2024-04-30T22:00:00.000Z');
      expect(parseTimestamp('soon')).toBeNull();
    });
    it('refuses non-finite values and old timestamps', () => {
      const now = new Date();
      expect(validateEvent({ userId: 'u', productId: 'p', eventType: 'view', eventValue: Number.NaN }, now)).toContain(
        'finite',
      );
      expect(
        validateEvent({ userId: 'u', productId: 'p', eventType: 'view', timestamp: '1999-12-31T00:00:00Z' }, now),
      ).toContain('2000');
      expect(validateEvent({ userId: ' u', productId: 'p', eventType: 'view' }, now)).toContain('surrounding spaces');
    });
  });
});

describe('recordEvents when the forward queue is down', () => {
  it('stores the events and answers forwarded: false', async () => {
    const ctx = await createTestContext({ PERSONALIZE_TRACKING_ID: 'tracking-123' });
    try {
      const ingest = new EventIngest(
        ctx.db.pool,
        async () => Promise.reject(new Error('Redis down')),
        createLogger(ctx.config),
      );
      const r = await ingest.record([{ userId: 'c1', productId: 'p1', eventType: 'view', eventId: 'q-1' }]);
      expect(r).toEqual({ accepted: 1, duplicates: 0, rejected: [], forwarded: false });
      const { rows } = await ctx.db.pool.query<{ forwarded_at: Date | null }>(
        `SELECT forwarded_at FROM events WHERE event_id = 'q-1'`,
      );
      expect(rows[0]!.forwarded_at).toBeNull();
    } finally {
      await ctx.close();
    }
  });
});

describe('recordEvents without a tracking id', () => {
  it('stores events and does not queue them', async () => {
    const ctx = await createTestContext();
    const h = await startGateway(ctx);
    try {
      const key = (await createApiKey(ctx.db.pool, 'admin')).key;
      const r = await h.gql<Result>(RECORD, { events: [{ userId: 'c1', productId: 'p1', eventType: 'view' }] }, key);
      expect(r.body.data!.recordEvents).toMatchObject({ accepted: 1, forwarded: false });
    } finally {
      await h.close();
      await ctx.close();
    }
  });
});
