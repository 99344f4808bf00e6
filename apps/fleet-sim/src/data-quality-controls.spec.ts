import type { SimNode } from '@kcloud/fleet-model';
import { firstOf } from './testing/first-of';
import { simPerTest } from './testing/sim-per-test';
import { dcgmNodePath } from './targets';

describe('fleet-sim controls for frozen devices and down targets', () => {
  const t = simPerTest();
  const { post } = t;

  it('serves a frozen GPU with the readings it had when frozen, energy counter included, until thawed', async () => {
    const gpu = firstOf(t.model.gpus(), 'GPU');
    expect((await post('/control/freeze', { uuid: gpu.uuid })).status).toBe(204);
    const frozen = t.model.gpuByKey(gpu.uuid, gpu.migInstanceId, Date.now())!;
    const later = t.model.gpuByKey(gpu.uuid, gpu.migInstanceId, Date.now() + 3_600_000)!;
    expect(later).toEqual(frozen);
    const other = t.model.gpus().find((g) => g.uuid !== gpu.uuid)!;
    expect(
      t.model.gpuByKey(other.uuid, other.migInstanceId, Date.now() + 3_600_000)!.energyMillijoules,
    ).toBeGreaterThan(other.energyMillijoules);
    expect((await post('/control/freeze', { uuid: gpu.uuid, frozen: false })).status).toBe(204);
    expect(
      t.model.gpuByKey(gpu.uuid, gpu.migInstanceId, Date.now() + 3_600_000)!.energyMillijoules,
    ).toBeGreaterThan(frozen.energyMillijoules);
  });

  it('refuses to freeze an unknown GPU', async () => {
    expect((await post('/control/freeze', { uuid: 'GPU-nope' })).status).toBe(404);
    expect(
      (await post('/control/freeze', { uuid: firstOf(t.model.gpus(), 'GPU').uuid, frozen: 'yes' })).status,
    ).toBe(400);
  });

  it('answers 503 or drops the connection on a target taken down, and serves it again when it is back up', async () => {
    const node = firstOf(t.model.gpus(), 'GPU');
    const path = dcgmNodePath(node.cluster, node.node);
    expect((await fetch(`${t.sim.url}${path}`)).status).toBe(200);
    expect((await post('/control/target', { path, state: 'unavailable' })).status).toBe(204);
    expect((await fetch(`${t.sim.url}${path}`)).status).toBe(503);
    expect((await post('/control/target', { path, state: 'refused' })).status).toBe(204);
    await expect(fetch(`${t.sim.url}${path}`)).rejects.toThrow();
    expect((await post('/control/target', { path, state: 'up' })).status).toBe(204);
    expect((await fetch(`${t.sim.url}${path}`)).status).toBe(200);
  });

  it('takes only the target named down and rejects a path outside /metrics', async () => {
    const gpuNodes = t.model.nodes().filter((n) => n.gpuCount > 0);
    expect(gpuNodes.length).toBeGreaterThanOrEqual(2);
    const [a, b] = gpuNodes as [SimNode, SimNode];
    await post('/control/target', { path: dcgmNodePath(a.cluster, a.name), state: 'unavailable' });
    expect((await fetch(`${t.sim.url}${dcgmNodePath(b.cluster, b.name)}`)).status).toBe(200);
    expect((await post('/control/target', { path: '/control/pattern', state: 'refused' })).status).toBe(400);
    expect(
      (await post('/control/target', { path: dcgmNodePath(a.cluster, a.name), state: 'off' })).status,
    ).toBe(400);
  });
});
