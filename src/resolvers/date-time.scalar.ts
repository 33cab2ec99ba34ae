// The DateTime scalar: times leave as ISO-8601 strings in UTC, whatever a service returned (a Date
// or a stored ISO string), and arrive as Dates. A value that is not a time is a client error.
import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

// A time zone is required on input: a bare local time means something different on every server.
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;

function toDate(value: unknown): Date | null {
  const d = value instanceof Date ? value : typeof value === 'string' ? new Date(value) : null;
  return d && Number.isFinite(d.getTime()) ? d : null;
}

function parse(value: unknown): Date {
  const d = typeof value === 'string' && ISO_WITH_ZONE.test(value) ? toDate(value) : null;
  if (!d)
    throw new GraphQLError(`DateTime must be an ISO-8601 string with a time zone, got ${JSON.stringify(value)}`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  return d;
}

export const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'A point in time: an ISO-8601 string in UTC with milliseconds.',
  serialize(value) {
    const d = toDate(value);
    // A resolver returning something else is a bug of ours, not the client's.
    if (!d) throw new TypeError(`DateTime cannot represent ${JSON.stringify(value)}`);
    return d.toISOString();
  },
  parseValue: parse,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING)
      throw new GraphQLError('DateTime must be a string', { extensions: { code: 'BAD_USER_INPUT' } });
    return parse(ast.value);
  },
});
