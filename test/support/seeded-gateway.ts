// The set-up most gateway suites share: a test context of their own (schema, Redis prefix), the
// serving fixtures, and one gateway over them; closed in the reverse order.
import { startGateway, type Harness } from './gateway-harness';
import { seedServing } from './serving-fixtures';
import { createTestContext, type TestContext } from './test-context';

export async function openSeededGateway(): Promise<{ ctx: TestContext; h: Harness }> {
  const ctx = await createTestContext();
  await seedServing(ctx.db);
  return { ctx, h: await startGateway(ctx) };
}

export async function closeSeededGateway(h: Harness, ctx: TestContext): Promise<void> {
  await h.close();
  await ctx.close();
}
