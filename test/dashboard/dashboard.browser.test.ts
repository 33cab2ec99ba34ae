// The dashboard as a person uses it, in Debian's Chromium, against a real gateway, PostgreSQL,
// Redis and a worker process: sign in, the overview's real figures, a run started and watched to
// the end, a customer and a product looked up, a schedule edited, a key made and revoked,
// bull-board opened, sign-out; axe-core on every page, at desktop and phone width, light and dark.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumMissing, launchChromium, seriousA11yViolations } from '../support/browser';
import { buildDashboard, startDashboardEnv, type DashboardEnv } from '../support/dashboard-env';

const missing = chromiumMissing();
if (missing) console.warn(`dashboard browser tests skipped: ${missing}`);
const suite = missing ? describe.skip : describe;

interface Status {
  systemStatus: { coverage: number; batchVersion: number; customersWithRecommendations: number };
}

suite('the dashboard in Chromium', () => {
  let env: DashboardEnv;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const problems: string[] = [];

  const status = async () =>
    (
      await env.gateway.gql<Status>(
        `{ systemStatus { coverage batchVersion customersWithRecommendations } }`,
        {},
        env.keys.admin,
      )
    ).body.data!.systemStatus;

  const expectAccessible = async (where: string) => {
    const violations = await seriousA11yViolations(page);
    expect({ where, violations }).toEqual({ where, violations: [] });
  };

  const nav = async (label: string) => {
    await page.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: label, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: label }).waitFor();
  };

  beforeAll(async () => {
    buildDashboard();
    env = await startDashboardEnv();
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    // Any script error or CSP refusal in the page fails the suite at the end.
    page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
    // (A refused request shows as "Failed to load resource": the API's refusals are expected here,
    // and the tests check what the page shows of them.)
    page.on('console', (msg) => {
      const onDashboard = page.url().includes('/dashboard');
      if (msg.type() === 'error' && onDashboard && !msg.text().startsWith('Failed to load resource'))
        problems.push(`console: ${msg.text()}`);
    });
    // Requests cut short by a navigation (ERR_ABORTED) are the browser's doing, not the page's.
    page.on('requestfailed', (req) => {
      if (page.url().includes('/dashboard') && req.failure()?.errorText !== 'net::ERR_ABORTED')
        problems.push(`request failed: ${req.url()} (${req.failure()?.errorText ?? '?'})`);
    });
  }, 120_000);

  afterAll(async () => {
    await browser.close();
    await env.close();
  });

  it('signs in with an admin key into an HttpOnly SameSite=Strict session', async () => {
    await page.goto(env.url);
    await page.getByLabel('API key', { exact: true }).waitFor();
    await expectAccessible('sign-in');
    await page.getByLabel('API key', { exact: true }).fill('rk_not_a_real_key_at_all_000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').getByText('unknown API key').waitFor();
    await page.getByLabel('API key', { exact: true }).fill(env.keys.admin);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'recs_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false });
    expect(session!.expires).toBeGreaterThan(Date.now() / 1000 + 3600);
    expect(JSON.stringify(cookies)).not.toContain(env.keys.admin);
  });

  it("shows the overview's real figures before any run", async () => {
    const s = await status();
    const figures = page.getByTestId('figures');
    await figures.getByText(`${s.coverage.toFixed(1)}%`).waitFor();
    await figures.getByText('never loaded').waitFor();
    await expectAccessible('overview (empty)');
  });

  it('starts a FULL run and watches it finish live', async () => {
    await nav('Pipeline runs');
    await expectAccessible('runs');
    // What the runProgress subscription delivers over the page's WebSocket.
    const pushed: string[] = [];
    page.on('websocket', (ws) => {
      if (!ws.url().endsWith('/graphql')) return;
      ws.on('framereceived', ({ payload }) => {
        const text = typeof payload === 'string' ? payload : payload.toString();
        const status = /"runProgress":\{[^]*?"status":"([A-Z]+)"/.exec(text)?.[1];
        if (status) pushed.push(status);
      });
    });
    await page.getByRole('button', { name: 'Start run' }).click();
    await page.waitForURL(/\/dashboard\/runs\/\d+$/);
    const runId = /\/runs\/(\d+)$/.exec(page.url())![1]!;
    await page.getByTestId('run-status').getByText('Updating live.').waitFor({ timeout: 60_000 });
    // The heading's badge turns to succeeded by itself, from the socket's last message.
    await page.getByRole('heading', { level: 1 }).getByText('succeeded').waitFor({ timeout: 120_000 });
    expect(pushed).toContain('RUNNING');
    expect(pushed.at(-1)).toBe('SUCCEEDED');
    await page.getByText('load-results').waitFor();
    await expectAccessible('run');
    const api = await env.gateway.gql<{ pipelineRun: { status: string; stages: { status: string }[] } }>(
      `query($id: ID!) { pipelineRun(id: $id) { status stages { status } } }`,
      { id: runId },
      env.keys.admin,
    );
    expect(api.body.data!.pipelineRun.status).toBe('SUCCEEDED');
    // A second start while nothing runs works; the API's refusal is shown when one is active.
    await nav('Pipeline runs');
    await page.getByRole('link', { name: `#${runId}` }).waitFor();
  }, 150_000);

  it('shows the loaded batch on the overview, with history plotted', async () => {
    await nav('Overview');
    const s = await status();
    expect(s.batchVersion).toBeGreaterThan(0);
    expect(s.customersWithRecommendations).toBeGreaterThan(0);
    const figures = page.getByTestId('figures');
    await figures.getByText(`${s.coverage.toFixed(1)}%`).waitFor();
    await figures.getByText(String(s.batchVersion), { exact: true }).waitFor();
    await page.getByRole('img', { name: /^Coverage/ }).waitFor();
    await expectAccessible('overview (loaded)');
  });

  it('looks a customer up, with recommendations, orders and the filters applied live', async () => {
    const { rows } = await env.ctx.db.pool.query<{ user_id: string }>(
      `SELECT r.user_id FROM offline_user_recommendations r JOIN orders o ON o.customer_id = r.user_id ORDER BY r.user_id LIMIT 1`,
    );
    const id = rows[0]!.user_id;
    await nav('Customers');
    await page.getByLabel('Customer id').fill(id);
    await page.getByRole('button', { name: 'Look up' }).click();
    const recs = page.getByRole('table', { name: `Recommendations for ${id}` });
    await recs.waitFor();
    expect(await recs.getByRole('row').count()).toBe(11);
    // The Reason column shows each item's reason as the API gives it, row by row.
    const api = await env.gateway.gql<{ recommendations: { items: { reason: { text: string } | null }[] } }>(
      `query($id: ID!) { recommendations(userId: $id, limit: 10) { items { reason { text } } } }`,
      { id },
      env.keys.admin,
    );
    const reasons = api.body.data!.recommendations.items.map((i) => i.reason?.text ?? '');
    expect(reasons.every((r) => r.length > 0)).toBe(true);
    await recs.getByRole('columnheader', { name: 'Reason' }).waitFor();
    // Reason is the table's last column.
    expect(await recs.locator('tbody tr td:last-child').allTextContents()).toEqual(reasons);
    await page.getByRole('heading', { name: 'Orders' }).waitFor();
    await page.getByText('Source personalized').waitFor();
    await page.getByLabel('Leave out what they already bought or viewed').check();
    await page.getByText(/the filters changed \d+ of 10 items/).waitFor();
    await expectAccessible('customer');
  });

  it('looks a product up: similar items, segment and popularity', async () => {
    const { rows } = await env.ctx.db.pool.query<{ product_id: string }>(
      `SELECT product_id FROM offline_similar_items ORDER BY product_id LIMIT 1`,
    );
    const id = rows[0]!.product_id;
    await nav('Products');
    await page.getByLabel('Product id').fill(id);
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.getByRole('table', { name: `Similar to ${id}` }).waitFor();
    await page.getByRole('heading', { name: 'Popularity' }).waitFor();
    await expectAccessible('product');
  });

  it('shows model versions with metrics side by side', async () => {
    await nav('Models');
    await page.getByRole('table', { name: 'Two model versions compared' }).waitFor();
    await expectAccessible('models');
  });

  it('creates an experiment, starts it and reads its results with intervals and the CSV', async () => {
    await nav('Experiments');
    await page.getByText('No experiments yet.').waitFor();
    await page.getByLabel('Experiment name').fill('Popular against batch');
    await page.getByRole('button', { name: 'Create experiment' }).click();
    await page.waitForURL(/\/dashboard\/experiments\/\d+$/);
    await page.getByRole('heading', { level: 1 }).getByText('draft').waitFor();
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('heading', { level: 1 }).getByText('running').waitFor();
    await page.getByRole('table', { name: 'Variants' }).getByText('Batch (batch), control').waitFor();
    await page
      .getByRole('table', { name: /^Metrics with 95% intervals/ })
      .getByText('Conversion rate')
      .waitFor();
    expect(await page.getByTestId('experiment-summary').textContent()).not.toBe('');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^experiment-\d+-results\.csv$/);
    await expectAccessible('experiment');
    await page.getByRole('link', { name: '← All experiments' }).click();
    await page.getByRole('link', { name: 'Popular against batch' }).waitFor();
    await expectAccessible('experiments');
  });

  it('edits a schedule: an invalid cron is refused as typed, a valid one is saved with its next fires', async () => {
    await nav('Settings');
    const form = page.getByRole('form', { name: 'Schedule pipeline' });
    const cron = form.getByLabel('Cron (UTC)');
    await cron.fill('0 2 * *');
    await form.getByText(/Not valid: must have 5 or 6 fields/).waitFor();
    expect(await form.getByRole('button', { name: 'Save' }).isDisabled()).toBe(true);
    await cron.fill('30 4 * * 1');
    await form.getByText(/Next: .*04:30 UTC/).waitFor();
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').getByText('Saved: 30 4 * * 1').waitFor();
    const api = await env.gateway.gql<{ systemStatus: { schedules: { name: string; cron: string }[] } }>(
      `{ systemStatus { schedules { name cron } } }`,
      {},
      env.keys.admin,
    );
    expect(api.body.data!.systemStatus.schedules.find((s) => s.name === 'pipeline')?.cron).toBe('30 4 * * 1');
    await expectAccessible('settings');
  });

  it('creates a key (secret shown once) and revokes it; the revoked key stops working', async () => {
    await page.getByLabel('Name', { exact: true }).fill('made in the browser');
    await page.getByLabel('Role').selectOption('read');
    await page.getByRole('button', { name: 'Create key' }).click();
    const secret = (await page.getByTestId('new-secret').textContent())!;
    expect(secret).toMatch(/^rk_/);
    expect((await env.gateway.gql(`{ systemStatus { engine } }`, {}, secret)).body.errors).toBeUndefined();
    const row = page.getByRole('row').filter({ hasText: 'made in the browser' });
    page.once('dialog', (d) => void d.accept());
    await row.getByRole('button', { name: /^Revoke key/ }).click();
    await row.getByText(/^revoked /).waitFor();
    const after = await env.gateway.gql(`{ systemStatus { engine } }`, {}, secret);
    expect(after.body.errors![0]!.message).toContain('revoked');
  });

  it('opens bull-board with the same session', async () => {
    const [board] = await Promise.all([page.waitForEvent('load'), page.getByRole('link', { name: 'Queues' }).click()]);
    expect(board).toBeDefined();
    expect(page.url()).toContain('/admin/queues');
    await page.getByText('export-datasets').first().waitFor();
    await page.goBack();
    await page.getByRole('heading', { level: 1 }).waitFor();
  });

  it('fits a phone screen, light and dark, without serious accessibility violations', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(env.url);
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
    expect(await page.getByRole('button', { name: 'Menu' }).isVisible()).toBe(true);
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await expectAccessible('overview (phone, light)');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expectAccessible('overview (phone, dark)');
    await page.getByRole('button', { name: 'Menu' }).click();
    await page.getByRole('link', { name: 'Settings' }).click();
    await page.getByRole('heading', { level: 1, name: 'Settings' }).waitFor();
    await expectAccessible('settings (phone, dark)');
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('lets a read key see but not act', async () => {
    const reader = await browser.newContext();
    const p = await reader.newPage();
    await p.goto(`${env.url}runs`);
    await p.getByLabel('API key', { exact: true }).fill(env.keys.read);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { level: 1, name: 'Pipeline runs' }).waitFor();
    await p.getByRole('table').waitFor();
    expect(await p.getByRole('button', { name: 'Start run' }).count()).toBe(0);
    expect(await p.getByRole('link', { name: 'Queues' }).count()).toBe(0);
    await p.getByRole('navigation', { name: 'Pages' }).getByRole('link', { name: 'Experiments', exact: true }).click();
    await p.getByRole('link', { name: 'Popular against batch' }).click();
    await p.getByTestId('experiment-summary').waitFor();
    expect(await p.getByRole('button', { name: 'Stop' }).count()).toBe(0);
    expect(await p.getByRole('button', { name: 'Create experiment' }).count()).toBe(0);
    await reader.close();
  });

  it('signs out: the cookie is gone and the pages ask to sign in again', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key', { exact: true }).waitFor();
    expect((await context.cookies()).find((c) => c.name === 'recs_session')).toBeUndefined();
    await page.goto(`${env.url}settings`);
    await page.getByLabel('API key', { exact: true }).waitFor();
    expect(problems).toEqual([]);
  });
});
