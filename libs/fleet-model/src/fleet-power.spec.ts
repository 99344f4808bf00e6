import { defaultScenario } from './default-scenario';
import { FleetModel } from './fleet-model';
import { DEFAULT_FACILITY_PUE, FleetPower, fleetPower } from './fleet-power';
import type { SimNode } from './types';

describe('FleetPower', () => {
  const start = Date.UTC(2026, 0, 15, 12);
  const model = new FleetModel({ ...defaultScenario(), tickSeconds: 60 });
  const power = new FleetPower(model, { originMs: start });

  it('counts joules at exactly the instantaneous power within a bucket (what rate() reads)', () => {
    // The default scenario's first cluster lists its nodes first.
    const [cluster] = model.clusters() as [string];
    const [{ name: node }] = model.nodes() as [SimNode];
    const a = power.nodeEnergyAt(cluster, node, start + 5_000)!;
    const b = power.nodeEnergyAt(cluster, node, start + 35_000)!;
    const w = power.nodePowerAt(cluster, node, start + 20_000)!;
    expect((b.cpuPackageJoules - a.cpuPackageJoules) / 30).toBeCloseTo(w.cpuPackageWatts, 6);
    expect((b.platformJoules - a.platformJoules) / 30).toBeCloseTo(w.serverInputWatts, 6);
    // Kepler ≤0.7's idle + dynamic counters add up to the component's own.
    expect(b.cpuPackageIdleJoules + b.cpuPackageDynamicJoules).toBeCloseTo(b.cpuPackageJoules, 3);
    for (const pod of w.pods)
      expect((b.pods.get(pod.uid)!.gpuJoules - a.pods.get(pod.uid)!.gpuJoules) / 30).toBeCloseTo(
        pod.gpuWatts,
        6,
      );
  });

  it('keeps counters monotonic across buckets', () => {
    const [, cluster] = model.clusters() as [string, string];
    let previous = 0;
    for (let t = start; t < start + 600_000; t += 17_000) {
      const total = power.nodeEnergiesAt(cluster, t).reduce((s, e) => s + e.platformJoules, 0);
      expect(total).toBeGreaterThan(previous);
      previous = total;
    }
  });

  it('meters the facility at IT power × the scenario PUE, IT power being the servers’ input', () => {
    for (const cluster of model.clusters()) {
      const it = power.nodePowersAt(cluster, start).reduce((s, n) => s + n.serverInputWatts, 0);
      expect(power.itPowerWattsAt(cluster, start)).toBe(it);
      expect(power.facilityPowerWattsAt(cluster, start)).toBeCloseTo(it * DEFAULT_FACILITY_PUE, 1);
    }
  });

  it('gives every BMC its own address and one instance per model', () => {
    const addresses = model.nodes().map((n) => power.bmcAddressOf(n.cluster, n.name));
    expect(new Set(addresses).size).toBe(addresses.length);
    expect(addresses.every((a) => /^10\.\d+\.\d+\.\d+$/.test(a!))).toBe(true);
    expect(fleetPower(model)).toBe(fleetPower(model));
  });

  it('reports sensors that follow the node, with a fault somewhere in the demo fleet', () => {
    const sensors = model.nodes().flatMap((n) => power.ipmiSensorsAt(n.cluster, n.name, start));
    expect(
      sensors
        .filter((s) => s.type === 'power')
        .map((s) => s.value)
        .sort(),
    ).toEqual(
      power
        .nodePowersAt(undefined, start)
        .map((n) => n.serverInputWatts)
        .sort(),
    );
    expect(new Set(sensors.map((s) => s.type))).toEqual(
      new Set(['power', 'temperature', 'fan', 'voltage', 'current']),
    );
    expect(sensors.some((s) => s.state > 0)).toBe(true);
  });
});
