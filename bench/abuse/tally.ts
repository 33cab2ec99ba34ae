// What bench:abuse counts per phase, from each answer's status and body (the pure part, tested
// in test/bench/abuse-tally.test.ts): answers by code (HTTP status for non-2xx, each GraphQL
// error's extensions.code), answers the gateway labelled degraded and the events each answer
// acknowledged.

/** What a normal request asked for, so its answer can be judged. */
export type RequestKind = 'recommendations' | 'similarItems' | 'rankItems' | 'recordEvents' | 'hostile';

export interface Outcome {
  /** 'ok', `HTTP <status>` and/or the GraphQL error codes of this answer. */
  codes: string[];
  /** The gateway labelled the answer degraded (`extensions.degraded`: a list that skipped a failed source). */
  degraded: boolean;
  /** Whether the events it carried are acknowledged (recordEvents answered with them accepted). */
  acknowledged: boolean;
}

interface Body {
  data?: Record<string, { accepted?: number; duplicates?: number } | null> | null;
  errors?: { extensions?: { code?: unknown } }[];
  extensions?: { degraded?: unknown };
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
  const field = kind === 'hostile' ? null : (json.data?.[kind] ?? null);
  const degraded = json.extensions?.degraded === true;
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
