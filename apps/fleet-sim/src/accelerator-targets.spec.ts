import { join } from 'node:path';

import { FleetModel } from '@kcloud/fleet-model';

import { acceleratorTargets, renderAcceleratorTarget } from './accelerator-targets';
import { startFleetSim } from './server';
import { listTargets } from './targets';

const model = FleetModel.fromFile(join(__dirname, 'exposition', '__golden__', 'accelerators-scenario.yaml'));
const AT = Date.UTC(2026, 0, 15, 12, 0, 3);

describe('accelerator targets', () => {
  it('lists the alternative GPU exporter per GPU node, NPU exporters per node with cards, dcgm only where it runs', () => {
    const paths = (cluster: string) =>
      listTargets(model)
        .filter((t) => t.cluster === cluster)
        .map((t) => t.path);
    expect(acceleratorTargets(model, 'golden-npu').map((t) => t.path)).toEqual([
      '/metrics/golden-npu/furiosa/mix-1',
      '/metrics/golden-npu/rbln/npu-1',
    ]);
    expect(paths('golden-npu')).toContain('/metrics/golden-npu/dcgm/mix-1');
    // npu-1 has no GPUs: no dcgm-exporter there.
    expect(paths('golden-npu')).not.toContain('/metrics/golden-npu/dcgm/npu-1');
    expect(acceleratorTargets(model, 'golden-nv').map((t) => [t.exporter, t.node])).toEqual([
      ['nvidia-smi', 'gpu-1'],
    ]);
    expect(acceleratorTargets(model, 'golden-smi-old').map((t) => t.path)).toEqual([
      '/metrics/golden-smi-old/all-smi/gpu-1',
    ]);
    expect(paths('golden-smi').some((p) => p.includes('/dcgm'))).toBe(false);
  });

  it('lets all-smi report the NPU cards of an npuExporter: all-smi cluster, on every node that has some', () => {
    expect(acceleratorTargets(model, 'golden-smi-npu').map((t) => t.path)).toEqual([
      '/metrics/golden-smi-npu/all-smi/gpu-1',
      '/metrics/golden-smi-npu/all-smi/npu-2',
      '/metrics/golden-smi-npu/all-smi/tpu-3',
    ]);
    const out = renderAcceleratorTarget(model, 'golden-smi-npu', 'all-smi', 'npu-2', AT);
    const body = 'body' in out ? out.body : '';
    expect(body).toContain('type="NPU"');
    expect(body).not.toContain('type="GPU"');
    const tpu = renderAcceleratorTarget(model, 'golden-smi-npu', 'all-smi', 'tpu-3', AT);
    expect('body' in tpu ? tpu.body : '').toContain('gpu="Google TPU v5e"');
    expect('body' in tpu ? tpu.body : '').toContain('type="TPU"');
    expect(renderAcceleratorTarget(model, 'golden-smi-npu', 'rbln', 'npu-2', AT)).toEqual({
      notFound: 'rbln target: all-smi reports the NPU cards of cluster golden-smi-npu',
    });
  });

  it.each([
    ['golden-npu', 'all-smi', undefined, /runs dcgm/],
    ['golden-smi', 'nvidia-smi', 'gpu-1', /runs all-smi/],
    ['golden-nv', 'nvidia-smi', undefined, /per node/],
    ['golden-nv', 'nvidia-smi', 'nowhere', /node nowhere/],
    ['golden-smi', 'furiosa', undefined, /furiosa cards/],
    ['golden-npu', 'rbln', 'mix-1', /rbln cards .* on node mix-1/],
  ] as const)('answers %s %s %s with not found', (cluster, exporter, node, message) => {
    const out = renderAcceleratorTarget(model, cluster, exporter, node, AT);
    expect('notFound' in out && out.notFound).toMatch(message);
  });

  it('serves the routes over HTTP, 404 for a cluster that runs another exporter', async () => {
    const sim = await startFleetSim({ model, port: 0 });
    try {
      const ok = await fetch(`${sim.url}/metrics/golden-npu/rbln`);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('RBLN_DEVICE_STATUS:CARD_POWER{card="RBLN-CA12"');
      const missing = await fetch(`${sim.url}/metrics/golden-npu/nvidia-smi/mix-1`);
      expect(missing.status).toBe(404);
      expect(((await missing.json()) as { message: string }).message).toMatch(/^fleet-sim: no such /);
    } finally {
      await sim.close();
    }
  });
});
