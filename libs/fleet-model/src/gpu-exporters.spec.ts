import { FleetModel, reportedGpus, type ReportedGpu, type Scenario } from '@kcloud/fleet-model';

const T0 = Date.UTC(2026, 0, 15, 12, 0, 3);

const nodes = [
  {
    name: 'n1',
    gpuModel: 'NVIDIA A100-SXM4-80GB',
    gpus: [
      {
        mig: [
          { profile: '3g.40gb', instanceId: 1, pattern: 'training' as const, namespace: 'a', pod: 'p1' },
          {
            profile: '1g.10gb',
            instanceId: 7,
            pattern: 'dataloader-stall' as const,
            namespace: 'b',
            pod: 'p2',
          },
        ],
      },
      { pattern: 'inference' as const, namespace: 'a', pod: 'p3' },
      { pattern: 'unallocated' as const },
    ],
  },
];
const scenario: Scenario = {
  seed: 3,
  clusters: [
    { name: 'dcgm', nodes },
    { name: 'smi', nodes, gpuExporter: 'all-smi' },
    { name: 'smi-old', nodes, gpuExporter: 'all-smi-v0.20' },
    { name: 'nv', nodes, gpuExporter: 'nvidia-smi' },
  ],
};
const m = new FleetModel(scenario);

describe('GPUs as each exporter reports them', () => {
  it('keeps the dcgm rows as they are', () => {
    expect(m.reportedGpus('dcgm', T0)).toEqual(m.gpus('dcgm', T0));
  });

  it.each(['smi', 'smi-old', 'nv'])(
    'folds MIG instances into their GPU and drops tenants for %s',
    (cluster) => {
      const rows = m.gpus(cluster, T0);
      const reported = m.reportedGpus(cluster, T0);
      expect(reported.map((g) => g.uuid)).toEqual([...new Set(rows.map((g) => g.uuid))]);
      const [mig] = reported;
      if (!mig) throw new Error(`no GPU reported for ${cluster}`);
      const instances = rows.filter((r) => r.uuid === mig.uuid);
      expect(mig.migInstanceId).toBeUndefined();
      expect(mig.memoryUsedMiB).toBe(instances.reduce((s, r) => s + r.memoryUsedMiB, 0));
      expect(mig.memoryUsedMiB + (mig.memoryFreeMiB ?? 0) + (mig.memoryReservedMiB ?? 0)).toBe(81920);
      expect(mig.powerWatts).toBeCloseTo(instances[0]?.powerWatts ?? NaN, 2);
      expect(reported.every((g) => g.pod === undefined && g.namespace === undefined)).toBe(true);
      expect(reported.every((g) => g.grEngineActiveRatio === undefined)).toBe(true);
    },
  );

  it('follows each exporter: utilisation on MIG GPUs, power precision, reservation, PCI id', () => {
    // The scenario's node has its MIG GPU first, then whole GPUs (above): the casts name what it declares.
    const [migSmi, wholeSmi] = m.reportedGpus('smi', T0) as [ReportedGpu, ReportedGpu];
    const [migOld] = m.reportedGpus('smi-old', T0) as [ReportedGpu];
    const [migNv, wholeNv] = m.reportedGpus('nv', T0) as [ReportedGpu, ReportedGpu];
    const whole = (cluster: string) => m.gpus(cluster, T0).find((g) => g.migInstanceId === undefined)!;
    expect([migSmi.utilizationPercent, migOld.utilizationPercent, migNv.utilizationPercent]).toEqual([
      undefined,
      0,
      undefined,
    ]);
    const smi = whole('smi');
    expect([wholeSmi.memoryReservedMiB, wholeSmi.pciBusId, wholeSmi.powerWatts]).toEqual([
      undefined,
      undefined,
      smi.powerWatts,
    ]);
    expect(wholeSmi.memoryFreeMiB).toBe(smi.memoryFreeMiB + smi.memoryReservedMiB);
    const nv = whole('nv');
    expect(wholeNv).toMatchObject({
      memoryReservedMiB: nv.memoryReservedMiB,
      pciBusId: nv.pciBusId,
      memoryCopyUtilizationPercent: nv.memoryCopyUtilizationPercent,
    });
    expect(wholeNv.energyMillijoules).toBeUndefined();
    expect(wholeNv.powerWatts).toBe(Math.round(nv.powerWatts * 100) / 100);
  });

  it('is a pure function of the rows', () => {
    const rows = m.gpus('dcgm', T0);
    expect(reportedGpus('all-smi', rows)).toEqual(reportedGpus('all-smi', rows));
  });
});

describe('GPU processes', () => {
  it('runs the pod’s process on every allocated row, a worker too when data-loader bound, memory split exactly', () => {
    const procs = m.gpuProcesses('smi', T0);
    const allocated = m.gpus('smi', T0).filter((r) => r.pod);
    const stalls = allocated.filter((r) => r.pattern === 'dataloader-stall').length;
    expect(procs).toHaveLength(allocated.length + stalls);
    for (const uuid of new Set(allocated.map((r) => r.uuid))) {
      const used = allocated.filter((r) => r.uuid === uuid).reduce((s, r) => s + r.memoryUsedMiB, 0);
      const onGpu = procs.filter((p) => p.gpuUuid === uuid);
      expect(onGpu.reduce((s, p) => s + p.gpuMemoryUsedMiB, 0)).toBe(used);
    }
    expect(new Set(procs.map((p) => p.pid)).size).toBe(procs.length);
    expect(procs.every((p) => p.user && p.command && p.cpuPercent !== undefined)).toBe(true);
  });

  it('reports what each exporter can: nothing on dcgm, no user/command/CPU on all-smi ≤ 0.20 and nvidia-smi', () => {
    expect(m.gpuProcesses('dcgm', T0)).toEqual([]);
    for (const cluster of ['smi-old', 'nv'])
      expect(
        m.gpuProcesses(cluster, T0).every((p) => !p.user && !p.command && p.cpuPercent === undefined),
      ).toBe(true);
  });
});
