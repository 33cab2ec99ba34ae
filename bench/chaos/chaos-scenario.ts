// One chaos scenario: a module under scenarios/ that sets up real processes, does something bad
// to them, waits for the system to recover by itself, and reports what the table prints.
// A new scenario is a module exporting a ChaosScenario plus one line in scenarios.ts.

export interface ChaosOutcome {
  /** Webhook scenarios: deliveries answered 2xx, and the orders they carried that were stored. */
  webhooks?: { acknowledged: number; ordersStored: number };
  /** Runs still active (queued, running, waiting) once the scenario's recovery window is over. */
  runsStuck: number;
  /** Acknowledged or live rows that are gone afterwards (served cache rows, stored orders, ...). */
  rowsLost: number;
  /** From the fault to "recovered" (the scenario says what that is); null when it never recovered. */
  recoverMs: number | null;
  /** Whether the failure raised its alert; null when the scenario expects none. */
  alertRaised: boolean | null;
  /** One short line: what recovery meant here, or what went wrong. */
  note: string;
}

export interface ChaosScenario {
  name: string;
  run(): Promise<ChaosOutcome>;
}
