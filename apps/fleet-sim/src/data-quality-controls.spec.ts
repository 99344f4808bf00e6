import { defaultScenario, FleetModel } from '@kcloud/fleet-model';

import { startFleetSim } from './server';
import type { RunningFleetSim } from './server';
import { dcgmNodePath } from './targets';

describe('fleet-sim controls for frozen devices and down targets', () => {
  let model: FleetModel;
  let sim: RunningFleetSim;

  beforeEach(async () => {
    model = new FleetModel(defaultScenario());
    sim = await startFleetSim({ model, port: 0 });
  });
  afterEach(async () => sim.close());

  const post = (path: string, body: unknown): Promise<Response> =>
    fetch(`${sim.url}${path}`, { method: 'POST', body: JSON.stringify(body) });

  it('serves a frozen GPU with the readings it had when frozen, energy counter included, until thawed', async () => {
    const gpu = model.gpus()[0];
    expect((await post('/control/freeze', { uuid: gpu.uuid })).status).toBe(204);
    const frozen = model.gpuByKey(gpu.uuid, gpu.migInstanceId, Date.now())!;
    const later = model.gpuByKey(gpu.uuid, gpu.migInstanceId, Date.now() + 3_600_000)!;
    expect(later).toEqual(frozen);
    const other = model.gpus().find((g) => g.uuid !== gpu.uuid)!;
    expect(
      model.gpuByKey(other.uuid, other.migInstanceId, Date.now() + 3_600_000)!.energyMillijoules,
    ).toBeGreaterThan(other.energyMillijoules);
    expect((await post('/control/freeze', { uuid: gpu.uuid, frozen: false })).status).toBe(204);
    expect(
      model.gpuByKey(gpu.uuid, gpu.migInstanceId, Date.now() + 3_600_000)!.energyMillijoules,
    ).toBeGreaterThan(frozen.energyMillijoules);
  });

  it('refuses to freeze an unknown GPU', async () => {
    expect((await post('/control/freeze', { uuid: 'GPU-nope' })).status).toBe(404);
    expect((await post('/control/freeze', { uuid: model.gpus()[0].uuid, frozen: 'yes' })).status).toBe(400);
  });

  it('answers 503 or drops the connection on a target taken down, and serves it again when it is back up', async () => {
    const node = model.gpus()[0];
    const path = dcgmNodePath(node.cluster, node.node);
    expect((await fetch(`${sim.url}${path}`)).status).toBe(200);
    expect((await post('/control/target', { path, state: 'unavailable' })).status).toBe(204);
    expect((await fetch(`${sim.url}${path}`)).status).toBe(503);
    expect((await post('/control/target', { path, state: 'refused' })).status).toBe(204);
    await expect(fetch(`${sim.url}${path}`)).rejects.toThrow();
    expect((await post('/control/target', { path, state: 'up' })).status).toBe(204);
    expect((await fetch(`${sim.url}${path}`)).status).toBe(200);
  });

  it('takes only the target named down and rejects a path outside /metrics', async () => {
    const [a, b] = model.nodes().filter((n) => n.gpuCount > 0);
    await post('/control/target', { path: dcgmNodePath(a.cluster, a.name), state: 'unavailable' });
    expect((await fetch(`${sim.url}${dcgmNodePath(b.cluster, b.name)}`)).status).toBe(200);
    expect((await post('/control/target', { path: '/control/pattern', state: 'refused' })).status).toBe(400);
    expect(
      (await post('/control/target', { path: dcgmNodePath(a.cluster, a.name), state: 'off' })).status,
    ).toBe(400);
  });
});
