// The pure part of bench:abuse: each answer classified by its HTTP status and GraphQL error codes,
// an answer the gateway labelled degraded (extensions.degraded) counted as such, and an event counted as
// acknowledged only when its recordEvents call answered it without an error.
import { classify, Tally } from '../../bench/abuse/tally';

const body = (x: unknown) => JSON.stringify(x);

describe('classify', () => {
  it('counts a plain answer ok and one the gateway labelled as degraded', () => {
    const whole = body({ data: { recommendations: { source: 'PERSONALIZED' } } });
    expect(classify('recommendations', 200, whole)).toEqual({ codes: ['ok'], degraded: false, acknowledged: false });
    const standIn = body({ data: { recommendations: { source: 'POPULAR' } }, extensions: { degraded: true } });
    expect(classify('recommendations', 200, standIn)).toEqual({ codes: ['ok'], degraded: true, acknowledged: false });
  });

  it('names the HTTP status of a non-2xx answer and each error code', () => {
    const limited = body({ errors: [{ message: 'slow down', extensions: { code: 'RATE_LIMITED' } }] });
    expect(classify('hostile', 429, limited).codes).toEqual(['HTTP 429', 'RATE_LIMITED']);
    const partial = body({ data: { recommendations: null }, errors: [{ message: 'x' }] });
    expect(classify('recommendations', 200, partial).codes).toEqual(['uncoded error']);
    expect(classify('hostile', 502, '<html>').codes).toEqual(['HTTP 502']);
    expect(classify('hostile', 200, 'not json').codes).toEqual(['unparsable body']);
  });

  it('acknowledges events only when every one was accepted or a duplicate, without errors', () => {
    const ok = body({ data: { recordEvents: { accepted: 1, duplicates: 0 } } });
    expect(classify('recordEvents', 200, ok, 1).acknowledged).toBe(true);
    expect(
      classify('recordEvents', 200, body({ data: { recordEvents: { accepted: 0, duplicates: 1 } } }), 1),
    ).toMatchObject({
      acknowledged: true,
    });
    expect(
      classify('recordEvents', 200, body({ data: { recordEvents: { accepted: 0, duplicates: 0 } } }), 1).acknowledged,
    ).toBe(false);
    const failed = body({ data: null, errors: [{ extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
    expect(classify('recordEvents', 200, failed, 1)).toMatchObject({
      acknowledged: false,
      codes: ['SERVICE_UNAVAILABLE'],
    });
    expect(classify('recommendations', 200, ok, 0).acknowledged).toBe(false);
  });
});

describe('Tally', () => {
  it('counts answers, degraded ones and codes, most frequent first', () => {
    const t = new Tally();
    t.add({ codes: ['ok'], degraded: false, acknowledged: false });
    t.add({ codes: ['ok'], degraded: true, acknowledged: false });
    t.add({ codes: ['HTTP 429', 'RATE_LIMITED'], degraded: false, acknowledged: false });
    expect(t.answered).toBe(3);
    expect(t.degraded).toBe(1);
    expect(t.codes()).toBe('ok 2, HTTP 429 1, RATE_LIMITED 1');
  });
});
