import { Kind } from 'graphql';
import { DateTime } from '../../src/resolvers/date-time.scalar';

describe('DateTime scalar', () => {
  it('serializes Dates and stored ISO strings as UTC ISO-8601 with milliseconds', () => {
    expect(DateTime.serialize(new Date(Date.UTC(2026, 11, 1, 2)))).toBe('2026-12-01T02:00:00.000Z');
    expect(DateTime.serialize('2026-12-01T04:00:00+02:00')).toBe('2026-12-01T02:00:00.000Z');
  });

  it('refuses to serialize what is not a time (a bug of ours, not a client error)', () => {
    expect(() => DateTime.serialize('yesterday')).toThrow(TypeError);
    expect(() => DateTime.serialize(42)).toThrow(TypeError);
  });

  it('parses ISO-8601 input with a time zone into a Date', () => {
    expect(DateTime.parseValue('2026-12-01T02:00:00Z')).toEqual(new Date(Date.UTC(2026, 11, 1, 2)));
    expect(DateTime.parseLiteral({ kind: Kind.STRING, value: '2026-12-01T07:00+05:00' })).toEqual(
      new Date(Date.UTC(2026, 11, 1, 2)),
    );
  });

  it('answers BAD_USER_INPUT for a time without a zone, a non-date or a non-string', () => {
    for (const bad of ['2026-12-01T02:00:00', '2026-12-01', 'soon', 1764554400]) {
      let thrown: unknown;
      try {
        DateTime.parseValue(bad);
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    }
    expect(() => DateTime.parseLiteral({ kind: Kind.INT, value: '1' })).toThrow(/must be a string/);
  });
});
