import { fleetPower, type FleetModel } from '@kcloud/fleet-model';
import type { SourceSet } from '@kcloud/metrics-source';
import { pollUntil } from '../harness/poll';
import { at } from '../harness/indexed';

/**
 * The data-source contract for the power side (Kepler, kube-state-metrics, ipmi_exporter, facility meter), as
 * assertions any adapter must pass on the same scenario. Watts from counters are rate()s: within 2 % of the model.
 * Checks are polled: through Prometheus a rate is exact only once a whole window of samples exists.
 */
const close = (got: number | undefined, truth: number, share = 0.02): boolean =>
  got !== undefined && Math.abs(got - truth) <= Math.max(share * Math.abs(truth), 0.05);

async function eventually(what: string, mismatches: () => Promise<string[]>): Promise<void> {
  let last: string[] = [];
  await pollUntil(what, async () => {
    last = await mismatches();
    return last.length ? undefined : true;
  }).catch((e: Error) => {
    throw new Error(`${e.message}\n${last.slice(0, 20).join('\n')}`);
  });
}

export function describePowerContract(
  name: string,
  setup: () => Promise<{ source: SourceSet; model: FleetModel; close(): Promise<void> }>,
): void {
  describe(`data-source contract: power and infrastructure (${name})`, () => {
    let source: SourceSet;
    let model: FleetModel;
    let shutdown: () => Promise<void>;
    beforeAll(async () => ({ source, model, close: shutdown } = await setup()));
    afterAll(async () => shutdown?.());
    const power = () => fleetPower(model);

    it('reports every node’s power by component, its server input and its energy counters', async () => {
      await eventually('node power', async () => {
        const { items, failures } = await source.power.nodePower({});
        expect(failures).toEqual([]);
        const got = new Map(items.map((n) => [`${n.cluster}/${n.node}`, n]));
        return model.nodes().flatMap((node) => {
          const t = power().nodePowerAt(node.cluster, node.name)!;
          const n = got.get(`${node.cluster}/${node.name}`);
          if (!n) return [`${node.name} missing`];
          const e = power().nodeEnergyAt(node.cluster, node.name)!;
          const joules =
            e.cpuPackageJoules + e.dramJoules + [...e.gpuJoules.values()].reduce((a, b) => a + b, 0);
          const checks: [string, boolean][] = [
            ['cpu', close(n.cpuPackageWatts, t.cpuPackageWatts)],
            ['core', close(n.cpuCoreWatts, t.cpuCoreWatts)],
            ['dram', close(n.dramWatts, t.dramWatts)],
            ['gpu', close(n.gpuWatts, t.gpuWatts)],
            ['npu', t.npuWatts > 0 ? close(n.npuWatts, t.npuWatts) : n.npuWatts === undefined],
            // DCMI is a gauge of whole watts; Kepler ≤0.7's platform is a counter (a rate).
            [
              'input',
              n.serverInputWatts === t.serverInputWatts && close(n.platformWatts, t.serverInputWatts),
            ],
            ['energy', Math.abs((n.energyJoules ?? 0) - joules) / joules < 2e-3],
          ];
          return checks
            .filter(([, ok]) => !ok)
            .map(([what]) => `${node.cluster}/${node.name} ${what}: ${JSON.stringify(n)}`);
        });
      });
    });

    it('reports every pod with placement, phase, GPU requests and Kepler power; one container each', async () => {
      await eventually('pod power', async () => {
        const { items } = await source.power.podPower({});
        const got = new Map(items.map((p) => [`${p.cluster}/${p.namespace}/${p.pod}`, p]));
        const pods = model.pods();
        const problems = items.length === pods.length ? [] : [`${items.length} pods, model ${pods.length}`];
        for (const pod of pods) {
          const p = got.get(`${pod.cluster}/${pod.namespace}/${pod.name}`);
          const t = power()
            .nodePowerAt(pod.cluster, pod.node)!
            .pods.find((x) => x.uid === pod.uid)!;
          const ok =
            p &&
            p.node === pod.node &&
            p.phase === pod.phase &&
            p.gpuRequests === pod.gpuRequests &&
            close(p.cpuWatts, t.cpuPackageWatts) &&
            close(p.dramWatts, t.dramWatts) &&
            (t.gpuWatts > 0 ? close(p.gpuWatts, t.gpuWatts) : p.gpuWatts === undefined);
          if (!ok)
            problems.push(`${pod.namespace}/${pod.name}: ${JSON.stringify(p)} vs ${JSON.stringify(t)}`);
        }
        return problems;
      });
      const { namespace } = at(model.pods(), 0, 'simulated pod');
      const { items } = await source.power.containerPower({ namespaces: [namespace] });
      expect(items.map((c) => `${c.pod}/${c.container}`).sort()).toEqual(
        model
          .pods()
          .filter((p) => p.namespace === namespace)
          .map((p) => `${p.name}/${p.container}`)
          .sort(),
      );
    });

    it('reports kube-state-metrics node capacity and allocatable with sanitised resource names', async () => {
      const { items } = await source.power.kubeNodes({});
      const sanitize = (list: readonly { resource: string; count: number }[]) =>
        list
          .map((r) => ({ resource: r.resource.replace(/[^a-zA-Z0-9_]/g, '_'), count: r.count }))
          .sort((a, b) => a.resource.localeCompare(b.resource));
      expect(items.map((n) => [n.cluster, n.node, n.capacity, n.allocatable]).sort()).toEqual(
        model
          .nodes()
          .map((n) => [n.cluster, n.name, sanitize(n.capacity), sanitize(n.allocatable)])
          .sort(),
      );
    });

    it('reports every BMC sensor with the model’s value and state, and the facility meter', async () => {
      const cluster = at(model.clusters(), 0, 'simulated cluster');
      const { items } = await source.ipmi.ipmiSensors({ clusters: [cluster] });
      const expected = model.nodes(cluster).flatMap((n) =>
        power()
          .ipmiSensorsAt(n.cluster, n.name)
          .map((s) => [n.name, s.type, s.id, s.value, s.state]),
      );
      expect(items.map((s) => [s.node, s.type, s.id, s.value, s.state]).sort()).toEqual(expected.sort());
      expect(source.facility.facilitySource()).toBeDefined();
      const facility = await source.facility.facilityPower({});
      expect(facility.items.map((f) => [f.cluster, f.watts]).sort()).toEqual(
        model
          .clusters()
          .map((c) => [c, power().facilityPowerWattsAt(c)])
          .sort(),
      );
    });

    it('reads node power over a range and energy over a window like the model', async () => {
      const cpu = (cluster: string) =>
        power()
          .nodePowersAt(cluster)
          .reduce((s, n) => s + n.cpuPackageWatts, 0);
      await eventually('range and energy', async () => {
        const to = new Date(Date.now() - 1000);
        const from = new Date(to.getTime() - 4000);
        const range = await source.power.nodePowerRange({}, { from, to, stepSeconds: 2 });
        const energy = await source.power.nodeEnergy({}, from, to);
        const problems: string[] = [];
        for (const cluster of model.clusters()) {
          const points = new Map<number, number>();
          for (const s of range.items.filter((x) => x.cluster === cluster))
            for (const p of s.components.cpuPackageWatts ?? [])
              points.set(p.timestampMs, (points.get(p.timestampMs) ?? 0) + p.value);
          if (points.size !== 3 || [...points.values()].some((w) => !close(w, cpu(cluster))))
            problems.push(`${cluster} range ${[...points.values()]}`);
          const before = new Map(
            power()
              .nodeEnergiesAt(cluster, from.getTime())
              .map((e) => [e.node, e.cpuPackageJoules]),
          );
          const joules = power()
            .nodeEnergiesAt(cluster, to.getTime())
            .reduce((s, e) => s + e.cpuPackageJoules - before.get(e.node)!, 0);
          const got = energy.items
            .filter((e) => e.cluster === cluster)
            .reduce((s, e) => s + (e.joules.cpuPackageWatts ?? 0), 0);
          if (!close(got, joules)) problems.push(`${cluster} energy ${got} vs ${joules}`);
        }
        return problems;
      });
    });
  });
}
