// The one check of a cron expression, for the configured defaults and for setSchedule alike.
// It uses the parser BullMQ's job schedulers use, so what passes here is what BullMQ will run.
import { CronExpressionParser } from 'cron-parser';

/** Why `expression` is not a usable cron expression (UTC), or null when it is one. */
export function cronProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/).length;
  // cron-parser fills in missing fields (it reads "0 2 * *" as valid); a short one is a mistake.
  if (fields < 5 || fields > 6)
    return `must have 5 or 6 fields (minute hour day month weekday, seconds first when 6), found ${fields}`;
  try {
    CronExpressionParser.parse(expression, { tz: 'UTC' });
    return null;
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** The next `count` times a valid expression fires after `from` (UTC); throws on an invalid one. */
export function nextFires(expression: string, count: number, from = new Date()): Date[] {
  const problem = cronProblem(expression);
  if (problem) throw new Error(problem);
  const parsed = CronExpressionParser.parse(expression, { tz: 'UTC', currentDate: from });
  return parsed.take(count).map((d) => d.toDate());
}
