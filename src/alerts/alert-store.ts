// Alerts are rows: raised once per kind while active, resolved when the condition clears.
import type { Database } from '../db/database';

export interface AlertInput {
  kind: string;
  severity: 'warning' | 'critical';
  message: string;
  runId?: number;
  details?: Record<string, unknown>;
}

/** Raises an alert, or refreshes the message of the active one of the same kind. */
export async function raiseAlert(db: Database, alert: AlertInput): Promise<void> {
  const active = await db.prisma.alert.findFirst({ where: { kind: alert.kind, resolvedAt: null } });
  const data = {
    severity: alert.severity,
    message: alert.message,
    runId: alert.runId ?? null,
    details: (alert.details ?? {}) as object,
  };
  if (active) await db.prisma.alert.update({ where: { id: active.id }, data });
  else await db.prisma.alert.create({ data: { kind: alert.kind, ...data } });
}

export async function resolveAlert(db: Database, kind: string): Promise<number> {
  const r = await db.prisma.alert.updateMany({ where: { kind, resolvedAt: null }, data: { resolvedAt: new Date() } });
  return r.count;
}

export async function activeAlerts(db: Database) {
  return db.prisma.alert.findMany({ where: { resolvedAt: null }, orderBy: { raisedAt: 'desc' } });
}
