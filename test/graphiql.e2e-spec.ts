import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { type RunningApp, startApp } from './harness/app';

const start = (env: Record<string, string>): Promise<RunningApp> =>
  startApp({ LOG_LEVEL: 'error', ANALYZER_ENABLED: 'false', ...env });

describe('GraphiQL served from node_modules', () => {
  let on: RunningApp;
  let off: RunningApp;
  beforeAll(async () => {
    on = await start({ GRAPHIQL: 'true' });
    off = await start({ GRAPHIQL: 'false' });
  });
  afterAll(async () => {
    await on?.app.close();
    await off?.app.close();
  });

  it('serves the page with only same-origin scripts and styles, each of which loads', async () => {
    const res = await fetch(`${on.url}/graphiql`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    // helmet's policy stays in force: scripts only from this origin, no inline script.
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    const html = await res.text();
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script>(?!<\/script>)/);
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(refs).toEqual([
      '/graphiql/assets/graphiql.css',
      '/graphiql/assets/react.js',
      '/graphiql/assets/react-dom.js',
      '/graphiql/assets/graphiql.js',
      '/graphiql/assets/start.js',
    ]);
    for (const ref of refs) {
      const asset = await fetch(`${on.url}${ref}`);
      expect({ ref, status: asset.status }).toEqual({ ref, status: 200 });
      expect(asset.headers.get('content-type')).toMatch(
        ref.endsWith('.css') ? /^text\/css/ : /^text\/javascript/,
      );
      expect((await asset.text()).length).toBeGreaterThan(ref.endsWith('start.js') ? 100 : 10_000);
    }
  });

  it('serves nothing outside its asset list, and nothing at all when GRAPHIQL=false', async () => {
    for (const path of ['/graphiql/assets/..%2F..%2Fpackage.json', '/graphiql/assets/index.js'])
      expect((await fetch(`${on.url}${path}`)).status).toBe(404);
    const disabled = await fetch(`${off.url}/graphiql`);
    expect(disabled.status).toBe(404);
    expect(await disabled.json()).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringMatching(/GRAPHIQL=true/),
    });
    expect((await fetch(`${off.url}/graphiql/assets/react.js`)).status).toBe(404);
  });

  it('renders in a real browser (Debian chromium) under the CSP and loads the schema from this API', async () => {
    const requests = async () =>
      (await (await fetch(`${on.url}/metrics`)).text())
        .split('\n')
        .filter((l) => l.startsWith('api_requests_total{method="POST",route="/graphql",status="200"}'))
        .reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    const before = await requests();
    const { stdout } = await promisify(execFile)(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--virtual-time-budget=8000',
        '--dump-dom',
        `${on.url}/graphiql`,
      ],
      { timeout: 60_000, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(stdout).toContain('class="graphiql-container"');
    expect(stdout).toContain('graphiql-execute-button');
    // The introspection query GraphiQL sends on load.
    expect(await requests()).toBeGreaterThan(before);
  });
});
