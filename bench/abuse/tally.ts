// What bench:abuse counts per phase, from each answer's status and body (the pure part, tested
// in test/bench/abuse-tally.test.ts): answers by code (HTTP status for non-2xx, each GraphQL
// error's extensions.code), degraded answers and the events each answer acknowledged.

/** What a normal request asked for, so its answer can be judged. */
export type RequestKind = 'recommendations' | 'similarItems' | 'rankItems' | 'recordEvents' | 'hostile';

/**
 * The source a list has when every layer answered: a list of another source (the popular list
 * standing in for a customer's own, say) is a degraded answer, which the gateway serves when a
 * source fails. The gateway does not flag degradation in the answer itself, so this is the label.
 */
export const EXPECTED_SOURCE: Partial<Record<RequestKind, string>> = {
  recommendations: 'PERSONALIZED',
  similarItems: 'SIMILAR_ITEMS',
};

export interface Outcome {
  /** 'ok', `HTTP <status>` and/or the GraphQL error codes of this answer. */
  codes: string[];
  /** Data served with a source other than the expected one. */
  degraded: boolean;
  /** Whether the events it carried are acknowledged (recordEvents answered with them accepted). */
  acknowledged: boolean;
}

interface Body {
  data?: Record<string, { source?: string; accepted?: number; duplicates?: number } | null> | null;
  errors?: { extensions?: { code?: unknown } }[];
}

function parse(body: string): Body | null {
  try {
    return JSON.parse(body) as Body;
  } catch {
    return null;
  }
}

export function classify(kind: RequestKind, status: number, body: string, events = 0): Outcome {
  const codes: string[] = [];
  if (status < 200 || status >= 300) codes.push(`HTTP ${status}`);
  const json = parse(body);
  if (!json) return { codes: codes.length ? codes : ['unparsable body'], degraded: false, acknowledged: false };
  for (const e of json.errors ?? []) {
    const code = e.extensions?.code;
    codes.push(typeof code === 'string' ? code : 'uncoded error');
  }
  const field = json.data?.[kind] ?? null;
  const expected = EXPECTED_SOURCE[kind];
  const degraded = expected !== undefined && field?.source !== undefined && field.source !== expected;
  const acknowledged =
    kind === 'recordEvents' &&
    codes.length === 0 &&
    field !== null &&
    (field.accepted ?? 0) + (field.duplicates ?? 0) === events;
  if (!codes.length) codes.push('ok');
  return { codes, degraded, acknowledged };
}

/** One phase's counts over a traffic stream. */
export class Tally {
  answered = 0;
  degraded = 0;
  readonly byCode = new Map<string, number>();

  add(o: Outcome): void {
    this.answered += 1;
    if (o.degraded) this.degraded += 1;
    for (const c of o.codes) this.byCode.set(c, (this.byCode.get(c) ?? 0) + 1);
  }

  /** "ok 1200, RATE_LIMITED 40, HTTP 429 40": codes by count, most first (ties by name). */
  codes(): string {
    return [...this.byCode]
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      .map(([c, n]) => `${c} ${n}`)
      .join(', ');
  }
}
