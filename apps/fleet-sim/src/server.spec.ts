import { firstOf } from './testing/first-of';
import { simPerTest } from './testing/sim-per-test';
import type { FleetSimTarget, HttpSdGroup } from './targets';

const METRICS_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

describe('fleet-sim HTTP server', () => {
  const t = simPerTest();
  const { get, post } = t;

  it('listens on a free port and answers /healthz', async () => {
    expect(t.sim.port).toBeGreaterThan(0);
    expect(t.sim.url).toBe(`http://127.0.0.1:${t.sim.port}`);
    const res = await get('/healthz');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('ok\n');
  });

  it('lists per-node and per-cluster targets whose paths all serve metrics', async () => {
    const targets = (await (await get('/targets')).json()) as FleetSimTarget[];
    expect(targets.filter((t) => t.exporter === 'dcgm' && t.scope === 'node')).toHaveLength(5);
    expect(targets.filter((t) => t.exporter === 'kube-state-metrics')).toHaveLength(2);
    expect(targets).toContainEqual({
      cluster: 'kcloud-east',
      exporter: 'dcgm',
      scope: 'node',
      node: 'east-gpu-02',
      path: '/metrics/kcloud-east/dcgm/east-gpu-02',
    });
    for (const t of targets) {
      const res = await get(t.path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(METRICS_TYPE);
    }
  });

  it('serves targets in Prometheus HTTP-SD form', async () => {
    const groups = (await (await get('/targets?format=http_sd')).json()) as HttpSdGroup[];
    expect(
      groups.filter((g) => ['dcgm', 'kube-state-metrics'].includes(g.labels.exporter ?? '')),
    ).toHaveLength(7);
    expect(groups[0]).toEqual({
      targets: [`127.0.0.1:${t.sim.port}`],
      labels: {
        __metrics_path__: '/metrics/kcloud-east/dcgm/east-gpu-01',
        cluster: 'kcloud-east',
        exporter: 'dcgm',
        node: 'east-gpu-01',
      },
    });
    const perCluster = (await (await get('/targets?format=http_sd&dcgm=cluster')).json()) as HttpSdGroup[];
    expect(perCluster.map((g) => g.labels.__metrics_path__)).toContain('/metrics/kcloud-west/dcgm');
  });

  it('serves one node like a DaemonSet pod, and a whole cluster in one body', async () => {
    const node = await (await get('/metrics/kcloud-east/dcgm/east-gpu-02')).text();
    const fbUsed = (text: string): string[] =>
      text.split('\n').filter((l) => l.startsWith('DCGM_FI_DEV_FB_USED{'));
    expect(fbUsed(node)).toHaveLength(t.model.nodeGpus('kcloud-east', 'east-gpu-02').length);
    expect(fbUsed(node).every((l) => l.includes('Hostname="east-gpu-02"'))).toBe(true);
    expect(node).toContain('GPU_I_PROFILE="3g.40gb"');
    const cluster = await (await get('/metrics/kcloud-east/dcgm')).text();
    expect(fbUsed(cluster)).toHaveLength(t.model.gpus('kcloud-east').length);
    expect(cluster).toContain('DCGM_FI_DEV_POWER_MGMT_LIMIT');
  });

  it('serves kube-state-metrics per cluster', async () => {
    const text = await (await get('/metrics/kcloud-west/kube-state-metrics')).text();
    expect(text.split('\n').filter((l) => l.startsWith('kube_pod_info{'))).toHaveLength(
      t.model.pods('kcloud-west').length,
    );
  });

  it('switches a pattern and a tenant through POST /control/pattern', async () => {
    const gpu = t.model.gpus('kcloud-west').find((g) => g.pattern === 'unallocated')!;
    const res = await post('/control/pattern', {
      uuid: gpu.uuid,
      pattern: 'training',
      tenant: { namespace: 'team-z', pod: 'fresh-0', container: 'main' },
    });
    expect(res.status).toBe(204);
    expect(t.model.gpuByKey(gpu.uuid)).toMatchObject({ pattern: 'training', pod: 'fresh-0' });
    const text = await (await get(`/metrics/kcloud-west/dcgm/${gpu.node}`)).text();
    expect(text).toContain('namespace="team-z",pod="fresh-0"');
    const ksm = await (await get('/metrics/kcloud-west/kube-state-metrics')).text();
    expect(ksm).toContain('pod="fresh-0"');
  });

  it('accepts a numeric MIG instance id and a null tenant', async () => {
    const slice = t.model.gpus().find((g) => g.migInstanceId && g.pod)!;
    const res = await post('/control/pattern', {
      uuid: slice.uuid,
      migInstanceId: Number(slice.migInstanceId),
      pattern: 'notebook',
      tenant: null,
    });
    expect(res.status).toBe(204);
    expect(t.model.gpuByKey(slice.uuid, slice.migInstanceId)).toMatchObject({
      pattern: 'notebook',
      pod: undefined,
    });
  });

  it('serves one family of one device as a DCGM blank through POST /control/blank, and clears it', async () => {
    const gpu = firstOf(t.model.gpus('kcloud-east'), 'GPU in kcloud-east');
    const line = (text: string, metric: string) =>
      text.split('\n').find((l) => l.startsWith(`${metric}{`) && l.includes(`UUID="${gpu.uuid}"`))!;
    const body = { field: 'DCGM_FI_DEV_GPU_TEMP', uuid: gpu.uuid, value: 'int64' };
    expect((await post('/control/blank', body)).status).toBe(204);
    const text = await (await get('/metrics/kcloud-east/dcgm')).text();
    expect(line(text, 'DCGM_FI_DEV_GPU_TEMP')).toMatch(/ 9223372036854775794$/);
    expect(line(text, 'DCGM_FI_DEV_POWER_USAGE')).not.toMatch(/ 9223372036854775794$/);
    expect(text.match(/ 9223372036854775794$/gm)).toHaveLength(1);
    expect((await post('/control/blank', { ...body, value: null })).status).toBe(204);
    expect(await (await get('/metrics/kcloud-east/dcgm')).text()).not.toContain('9223372036854775794');
  });

  it('removes a GPU through POST /control/remove', async () => {
    const gpu = firstOf(t.model.gpus('kcloud-east'), 'GPU in kcloud-east');
    expect((await post('/control/remove', { uuid: gpu.uuid })).status).toBe(204);
    const text = await (await get('/metrics/kcloud-east/dcgm')).text();
    expect(text).not.toContain(gpu.uuid);
  });

  it.each([
    ['/control/pattern', { uuid: 'GPU-nope', pattern: 'training' }, 404, 'NOT_FOUND'],
    ['/control/pattern', { uuid: 'x', pattern: 'mining' }, 400, 'BAD_USER_INPUT'],
    ['/control/pattern', '{not json', 400, 'BAD_USER_INPUT'],
    ['/control/pattern', { pattern: 'training' }, 400, 'BAD_USER_INPUT'],
    ['/control/remove', { uuid: 'GPU-nope' }, 404, 'NOT_FOUND'],
    [
      '/control/blank',
      { field: 'DCGM_FI_DEV_GPU_TEMP', uuid: 'GPU-a', value: 'huge' },
      400,
      'BAD_USER_INPUT',
    ],
    ['/control/blank', { field: 'DCGM_FI_DEV_GPU_TEMP', value: 'int64' }, 400, 'BAD_USER_INPUT'],
    ['/control/reboot', {}, 404, 'NOT_FOUND'],
  ])('answers POST %s %j with %i %s', async (path, body, status, code) => {
    const res = await post(path, body);
    expect(res.status).toBe(status);
    expect(((await res.json()) as { code: string }).code).toBe(code);
  });

  it.each([
    '/',
    '/metrics',
    '/metrics/nowhere/dcgm',
    '/metrics/kcloud-east/kepler-v0.7',
    '/metrics/kcloud-east/dcgm/no-such-node',
    '/metrics/kcloud-east/dcgm/east-gpu-01/extra',
    '/metrics/kcloud-east/kube-state-metrics/east-gpu-01',
  ])('answers GET %s with 404 and a message', async (path) => {
    const res = await get(path);
    expect(res.status).toBe(404);
    expect(((await res.json()) as { message: string }).message).toMatch(/^fleet-sim: no such /);
  });

  it('renders at request time: the energy counter grows between scrapes', async () => {
    const energy = async (): Promise<number> => {
      const text = await (await get('/metrics/kcloud-east/dcgm/east-gpu-01')).text();
      return Number(
        text
          .split('\n')
          .find((l) => l.startsWith('DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION{'))!
          .split(' ')
          .pop(),
      );
    };
    const first = await energy();
    await new Promise((r) => setTimeout(r, 20));
    expect(await energy()).toBeGreaterThan(first);
  });

  it('closes even while a client holds a keep-alive connection', async () => {
    await get('/healthz');
    await t.sim.close();
    await expect(get('/healthz')).rejects.toThrow();
    await t.restart(); // afterEach closes this one
  });
});
