import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { FleetModel } from '@kcloud/fleet-model';
import { type RunningApp, startApp } from './harness/app';
import { HEADERS, SECRETS } from './harness/auth-fixture';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { at } from './harness/indexed';
import { useAuthStack } from './harness/use-stack';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
// The idle colour of styles.css (--idle: #c21f2c) as the browser computes it.
const IDLE_RGB = 'rgb(194, 31, 44)';

/** Debian's chromium through playwright-core, in a new empty profile, with nothing talking to the internet. */
async function launch(profile: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    acceptDownloads: true,
    viewport: { width: 1280, height: 860 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

const total = async (url: string, headers: Record<string, string> = {}): Promise<number> =>
  (await gql<{ gpuScoreStats: { total: number } }>(url, '{ gpuScoreStats { total } }', {}, headers)).data!
    .gpuScoreStats.total;

/** The count the page shows once it has read the fleet. */
async function pageCount(page: Page): Promise<number> {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
  return Number(await page.getAttribute('#gpu-count', 'data-count'));
}

/** Every tile of the virtualised grid, scrolling it from top to bottom. */
async function allTiles(page: Page): Promise<{ id: string; namespace: string; status: string }[]> {
  return page.evaluate(async () => {
    const grid = document.getElementById('grid')!;
    const seen = new Map<string, { id: string; namespace: string; status: string }>();
    for (let top = 0; ; top += grid.clientHeight / 2) {
      grid.scrollTop = top;
      grid.dispatchEvent(new Event('scroll'));
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      for (const t of Array.from(grid.querySelectorAll<HTMLElement>('.tile')))
        seen.set(t.dataset.id!, {
          id: t.dataset.id!,
          namespace: t.dataset.namespace!,
          status: t.dataset.status!,
        });
      if (top + grid.clientHeight >= grid.scrollHeight) break;
    }
    grid.scrollTop = 0;
    return [...seen.values()];
  });
}

async function subscriptions(url: string, field: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return Number(
    new RegExp(`^graphql_subscriptions_active\\{field="${field}"\\} (\\d+)`, 'm').exec(text)?.[1] ?? 0,
  );
}

/** Screenshots are documentation, rewritten on request only: a test run leaves the work tree as it found it. */
const SCREENSHOTS = process.env.FLEET_PAGE_SCREENSHOTS === '1';

describe('the fleet page at / in a real browser (playwright-core + Debian chromium)', () => {
  let profile: string;
  let context: BrowserContext;

  beforeAll(async () => {
    // The page itself is built from the current source by the e2e global setup (test/global-setup.ts).
    profile = await mkdtemp(join(tmpdir(), 'fleet-page-chromium-'));
    context = await launch(profile);
  });
  afterAll(async () => {
    await context?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  describe('on the demo fleet (development, no auth, embedded simulator)', () => {
    let api: RunningApp;
    let model: FleetModel;
    let page: Page;

    beforeAll(async () => {
      api = await startApp({
        LOG_LEVEL: 'error',
        ANALYZER_INTERVAL_SECONDS: '1',
        ANALYZER_WINDOW_SECONDS: '5',
      });
      model = api.app.get(FleetModel, { strict: false });
      await pollUntil('a first analysis cycle', async () => ((await total(api.url)) > 0 ? true : undefined));
      page = await context.newPage();
    });
    afterAll(async () => {
      await page?.close();
      await api?.app.close();
    });

    it('is served at / with only same-origin scripts under helmet’s CSP', async () => {
      const res = await fetch(`${api.url}/`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
      const html = await res.text();
      expect(html).not.toMatch(/https?:\/\//);
      expect([...html.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1])).toEqual(['/web/app.js']);
      expect((await fetch(`${api.url}/web/app.js`)).status).toBe(200);
      expect((await fetch(`${api.url}/web/styles.css`)).status).toBe(200);
      expect((await fetch(`${api.url}/web/..%2Fpackage.json`)).status).toBe(404);
      expect((await fetch(`${api.url}/web/index.js`)).status).toBe(404);
    });

    it('shows as many GPUs as gpuScoreStats.total, with a live connection and no CSP violation', async () => {
      const violations: string[] = [];
      page.on('console', (m) => {
        if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
      });
      await page.goto(`${api.url}/`);
      const expected = await total(api.url);
      expect(await pageCount(page)).toBe(expected);
      expect((await allTiles(page)).filter((t) => t.status !== 'NPU')).toHaveLength(expected);
      await page.waitForSelector('#live[data-state="connected"]');
      expect(violations).toEqual([]);
    });

    it('turns a GPU’s tile to the idle colour when the simulator idles it, without a reload', async () => {
      const { data } = await gql<{
        gpuScores: {
          edges: { node: { id: string; gpuId: string; status: string; migInstanceId: string | null } }[];
        };
      }>(api.url, '{ gpuScores(first: 1000) { edges { node { id gpuId status migInstanceId } } } }');
      const rows = data!.gpuScores.edges.map((e) => e.node);
      const target = rows.find(
        (r) =>
          r.status !== 'IDLE' && !r.migInstanceId && rows.filter((x) => x.gpuId === r.gpuId).length === 1,
      )!;
      const tile = page.locator(`#grid .tile[data-id="${target.id}"]`);
      expect(await tile.evaluate((el) => getComputedStyle(el).backgroundColor)).not.toBe(IDLE_RGB);
      await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
      // graphql-ws does not acknowledge a subscribe: change nothing before the page's subscription runs on the server.
      await pollUntil('the page’s gpuScoreChanged subscription', async () =>
        (await subscriptions(api.url, 'gpuScoreChanged')) >= 1 ? true : undefined,
      );
      model.setPattern(target.gpuId, undefined, 'notebook');
      await page.waitForFunction(
        ({ id, rgb }) => {
          const el = document.querySelector<HTMLElement>(`.tile[data-id="${CSS.escape(id)}"]`);
          return el?.dataset.status === 'IDLE' && getComputedStyle(el).backgroundColor === rgb;
        },
        { id: target.id, rgb: IDLE_RGB },
        { timeout: 60_000, polling: 250 },
      );
      expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(
        true,
      );
      expect(await page.textContent('#live')).toMatch(/connected/);
    });

    it('opens a side panel from the keyboard with the device’s details and its last hour as charts; screenshots under docs/ with FLEET_PAGE_SCREENSHOTS=1', async () => {
      await page.setViewportSize({ width: 1180, height: 760 });
      if (SCREENSHOTS) await page.screenshot({ path: 'docs/fleet-page-grid.png' });
      const tile = page.locator('#grid .tile:not(.mini)[data-status]').first();
      const uuid = await tile.getAttribute('data-uuid');
      await tile.focus();
      await page.keyboard.press('Enter');
      await page.waitForSelector('#panel:not([hidden])');
      await expect(page.locator('#panel-details').textContent()).resolves.toContain(uuid!);
      await expect(page.evaluate(() => document.activeElement?.id)).resolves.toBe('panel-title');
      // Gpu.history drawn as three inline-SVG lines: utilisation, memory used, power.
      await page.waitForSelector('#panel-chart svg[role="img"]', { timeout: 30_000 });
      expect(await page.locator('#panel-chart svg path.line').count()).toBe(3);
      if (SCREENSHOTS) await page.locator('.fleet-body').screenshot({ path: 'docs/fleet-page-panel.png' });
      await page.keyboard.press('Escape');
      await page.waitForSelector('#panel', { state: 'hidden' });
    });

    it('downloads the current view as a CSV that parses', async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('.exports button[data-format="CSV"]'),
      ]);
      const text = await readFile((await download.path())!, 'utf8');
      const records = parse(text, { columns: true, skip_empty_lines: true, bom: true }) as Record<
        string,
        string
      >[];
      expect(download.suggestedFilename()).toMatch(/\.csv$/);
      expect(records.length).toBeGreaterThan(0);
      expect(Object.keys(at(records, 0, 'CSV record')).join(',')).toMatch(/uuid|gpu/i);
    });

    it('has no serious or critical axe-core violation', async () => {
      const axe = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
      // Evaluated through the DevTools protocol, which the page's CSP does not govern (an injected <script> would be).
      await page.evaluate(axe);
      const tile = page.locator('#grid .tile:not(.mini)[data-status]').first();
      await tile.click();
      await page.waitForSelector('#panel-chart svg');
      const found = await page.evaluate(async () => {
        const result = await (
          window as unknown as {
            axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }> };
          }
        ).axe.run();
        return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
      });
      console.log('axe violations (all impacts):', JSON.stringify(found));
      expect(found.filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);
    });
  });

  describe('with API keys (real Prometheus scraping fleet-sim)', () => {
    let page: Page;
    const auth = useAuthStack({ ANALYZER_INTERVAL_SECONDS: '2', ANALYZER_WINDOW_SECONDS: '10' }, [], {
      closeFirst: () => page?.close(),
    });
    const { stack } = auth;

    beforeAll(async () => {
      await pollUntil(
        'a first analysis cycle',
        async () => ((await total(stack.url, HEADERS.admin)) > 0 ? true : undefined),
        {
          timeoutMs: 60_000,
        },
      );
      page = await context.newPage();
    });

    it('asks for a key, then shows a partner key only its namespace’s tiles, keeping the key in sessionStorage only', async () => {
      await page.goto(`${stack.url}/`);
      await expect(page.locator('#message').textContent({ timeout: 30_000 })).resolves.toBeTruthy();
      await page.waitForSelector('#message:not([hidden])');
      await page.fill('#api-key', SECRETS.partner);
      await page.click('#auth button[type="submit"]');
      const expected = await total(stack.url, { authorization: `Bearer ${SECRETS.partner}` });
      await pollUntil('the partner’s fleet on the page', async () => {
        const n = Number(await page.getAttribute('#gpu-count', 'data-count'));
        return n === expected && n > 0 ? true : undefined;
      });
      // GPU tiles and NPU tiles alike carry only the partner's namespace.
      const tiles = await allTiles(page);
      expect(tiles.filter((t) => t.status !== 'NPU')).toHaveLength(expected);
      expect(new Set(tiles.map((t) => t.namespace))).toEqual(new Set([auth.scopes.partnerNamespace]));
      expect(await total(stack.url, HEADERS.admin)).toBeGreaterThan(expected);
      await page.waitForSelector('#live[data-state="connected"]', { timeout: 30_000 });
      const storage = await page.evaluate(() => ({
        local: JSON.stringify(localStorage),
        session: sessionStorage.getItem('kcloud.apiKey'),
      }));
      expect(storage).toEqual({ local: '{}', session: SECRETS.partner });
    });
  });

  describe('on the simulated 10k-GPU fleet (libs/fleet-model/scenarios/bench-10k.yaml)', () => {
    let api: RunningApp;
    let page: Page;

    beforeAll(async () => {
      api = await startApp({ LOG_LEVEL: 'error', SIM_SCENARIO: 'libs/fleet-model/scenarios/bench-10k.yaml' });
      await pollUntil(
        'a first analysis cycle over 10,000 GPUs',
        async () => ((await total(api.url)) >= 10_000 ? true : undefined),
        {
          timeoutMs: 120_000,
          intervalMs: 1000,
        },
      );
      page = await context.newPage();
    }, 180_000);
    afterAll(async () => {
      await page?.close();
      await api?.app.close();
    });

    it('renders all 10,000 GPUs (time measured and printed, not asserted)', async () => {
      const started = Date.now();
      await page.goto(`${api.url}/`);
      expect(await pageCount(page)).toBe(await total(api.url));
      const wall = Date.now() - started;
      const timings = await page.evaluate(() => ({
        firstPaintMs: Number(document.body.dataset.firstPaintMs),
        loadMs: Number(document.body.dataset.loadMs),
        renderMs: Number(document.body.dataset.renderMs),
        domNodes: document.querySelectorAll('#grid .tile').length,
      }));
      const filterStart = Date.now();
      await page.selectOption('#filters select[name="status"]', 'IDLE');
      await page.waitForFunction(() => Number(document.getElementById('gpu-count')!.dataset.count) < 10_000);
      const filterMs = Date.now() - filterStart;
      console.log(
        `10k-GPU fleet page: first tiles ${timings.firstPaintMs} ms after the script started, all 10,000 in ${wall} ms from navigation ` +
          `(data read ${timings.loadMs} ms, layout + render of the whole fleet ${timings.renderMs} ms, ` +
          `${timings.domNodes} tiles in the DOM); status filter applied in ${filterMs} ms`,
      );
    }, 120_000);
  });
});
