import { defaultScenario, FleetModel, type SimGpu } from '@kcloud/fleet-model';

import { startFleetSim } from './server';
import { firstOf } from './testing/first-of';
import { simPerTest } from './testing/sim-per-test';
import { dcgmNodePath } from './targets';

describe('fleet-sim control for GPU health faults', () => {
  const t = simPerTest(() => ({ ...defaultScenario(), dcgmHealthCounters: 'all' }));
  const { post } = t;
  const lineOf = (body: string, family: string, uuid: string): string | undefined =>
    body.split('\n').find((l) => l.startsWith(`${family}{`) && l.includes(`UUID="${uuid}"`));

  it('serves every GPU healthy by default: last XID 0 "No Error", zero counters, no clock event', async () => {
    const gpu = t.model.gpus().find((g) => g.migInstanceId === undefined)!;
    const body = await (await fetch(`${t.sim.url}${dcgmNodePath(gpu.cluster, gpu.node)}`)).text();
    expect(lineOf(body, 'DCGM_FI_DEV_XID_ERRORS', gpu.uuid)).toMatch(
      /err_code="0",err_msg="No Error".*\} 0$/,
    );
    for (const family of [
      'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL',
      'DCGM_FI_DEV_CLOCKS_EVENT_REASONS',
      'DCGM_FI_DEV_PCIE_REPLAY_COUNTER',
      'DCGM_FI_DEV_ROW_REMAP_FAILURE',
      'DCGM_FI_DEV_NVLINK_CRC_FLIT_ERROR_COUNT_TOTAL',
    ])
      expect(lineOf(body, family, gpu.uuid)).toMatch(/ 0$/);
  });

  it('serves only the default CSV health rows unless the scenario enables all of them', async () => {
    const plain = new FleetModel(defaultScenario());
    const other = await startFleetSim({ model: plain, port: 0 });
    try {
      const gpu = firstOf(plain.gpus(), 'GPU');
      const body = await (await fetch(`${other.url}${dcgmNodePath(gpu.cluster, gpu.node)}`)).text();
      expect(body).toContain('DCGM_FI_DEV_XID_ERRORS{');
      expect(body).toContain('DCGM_FI_DEV_PCIE_REPLAY_COUNTER{');
      expect(body).toContain('DCGM_FI_DEV_ROW_REMAP_FAILURE{');
      expect(body).not.toContain('DCGM_FI_DEV_ECC_DBE_VOL_TOTAL');
      expect(body).not.toContain('DCGM_FI_DEV_CLOCKS_EVENT_REASONS');
    } finally {
      await other.close();
    }
  });

  it('reports an injected XID 79, a DBE count and a throttle bitmask for that GPU only, until cleared', async () => {
    const whole = t.model.gpus().filter((g) => g.migInstanceId === undefined);
    expect(whole.length).toBeGreaterThanOrEqual(2);
    const [gpu, other] = whole as [SimGpu, SimGpu];
    expect((await post('/control/fault', { uuid: gpu.uuid, xid: 79 })).status).toBe(204);
    expect(
      (await post('/control/fault', { uuid: gpu.uuid, eccDbe: 2, throttle: ['HW_SLOWDOWN', 'HW_THERMAL'] }))
        .status,
    ).toBe(204);
    const path = dcgmNodePath(gpu.cluster, gpu.node);
    let body = await (await fetch(`${t.sim.url}${path}`)).text();
    expect(lineOf(body, 'DCGM_FI_DEV_XID_ERRORS', gpu.uuid)).toMatch(
      /err_code="79",err_msg="GPU has fallen off the bus".*\} 79$/,
    );
    expect(lineOf(body, 'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL', gpu.uuid)).toMatch(/ 2$/);
    expect(lineOf(body, 'DCGM_FI_DEV_CLOCKS_EVENT_REASONS', gpu.uuid)).toMatch(/ 72$/); // 0x8 | 0x40
    expect(t.model.gpus().find((g) => g.uuid === other.uuid)?.xid).toBe(0);
    expect((await post('/control/fault', { uuid: gpu.uuid, clear: true })).status).toBe(204);
    body = await (await fetch(`${t.sim.url}${path}`)).text();
    expect(lineOf(body, 'DCGM_FI_DEV_XID_ERRORS', gpu.uuid)).toMatch(/\} 0$/);
  });

  it('rejects an unknown GPU, an unknown throttle reason, a negative count and an empty fault', async () => {
    const { uuid } = firstOf(t.model.gpus(), 'GPU');
    expect((await post('/control/fault', { uuid: 'GPU-nope', xid: 79 })).status).toBe(404);
    expect((await post('/control/fault', { uuid, throttle: ['TOO_HOT'] })).status).toBe(400);
    expect((await post('/control/fault', { uuid, eccDbe: -1 })).status).toBe(400);
    expect((await post('/control/fault', { uuid })).status).toBe(400);
  });
});
