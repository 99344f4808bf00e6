import type {
  AcceleratorsService,
  GpuHistoryService,
  NpuHistoryService,
  NpuService,
} from '@kcloud/accelerators';
import { ErrorCode } from '@kcloud/common';
import type { InfrastructureService } from '../infrastructure.service';
import type { NodeHistoryService } from '../history/node-history.service';
import { DeviceHistoryKind } from './device-history.model';
import { DeviceHistoryService } from './device-history.service';

const at = (s: number) => Date.UTC(2026, 0, 1, 0, 0, s);
const range = { from: new Date(at(0)), to: new Date(at(30)), stepSeconds: 15 };
const gpu = (cluster: string, node: string, uuid: string, namespace?: string) => ({
  cluster,
  node,
  uuid,
  index: 0,
  model: 'H100',
  ...(namespace ? { namespace } : {}),
});

function setup() {
  const reads: { kind: string; devices: unknown[]; extra?: unknown }[] = [];
  const gpus = {
    gpus: async () => ({
      items: [gpu('west', 'n2', 'GPU-c'), gpu('east', 'n1', 'GPU-b', 'llm'), gpu('east', 'n1', 'GPU-a')],
      failures: [{ cluster: 'north', code: ErrorCode.CLUSTER_UNAVAILABLE, message: 'down' }],
    }),
  } as unknown as AcceleratorsService;
  const npus = {
    npus: async () => ({ items: [{ ...gpu('east', 'n1', 'F-1'), vendor: 'furiosa' }], failures: [] }),
  } as unknown as NpuService;
  const infra = {
    nodes: async () => ({ items: [{ id: 'east/n1', cluster: 'east', name: 'n1' }], failures: [] }),
  } as unknown as InfrastructureService;
  const gpuHistory = {
    series: async (devices: unknown[], _r: unknown, _s: unknown, withScores: boolean) => {
      reads.push({ kind: 'gpu', devices, extra: withScores });
      return {
        byKey: new Map([['GPU-a', new Map([[at(15), { utilizationPercent: 40, score: 9 }]])]]),
        failures: [],
      };
    },
  } as unknown as GpuHistoryService;
  const npuHistory = {
    series: async (devices: unknown[]) => {
      reads.push({ kind: 'npu', devices });
      return { byKey: new Map([['east\u0000F-1', new Map([[at(0), { powerWatts: 50 }]])]]), failures: [] };
    },
  } as unknown as NpuHistoryService;
  const nodeHistory = {
    series: async (devices: unknown[], _r: unknown, _s: unknown, withHost: boolean) => {
      reads.push({ kind: 'node', devices, extra: withHost });
      return {
        byKey: new Map([['east\u0000n1', new Map([[at(30), { memoryUtilizationPercent: 25 }]])]]),
        failures: [{ cluster: 'east', code: ErrorCode.CLUSTER_UNAVAILABLE, message: 'ipmi down' }],
      };
    },
  } as unknown as NodeHistoryService;
  const service = new DeviceHistoryService(gpus, npus, infra, gpuHistory, npuHistory, nodeHistory);
  return { service, reads };
}

describe('DeviceHistoryService', () => {
  it('lists GPUs and NPUs by default, a node’s devices together, and keeps the listing’s failed clusters', async () => {
    const { service } = setup();
    const { items, failures } = await service.devices({}, {});
    expect(items.map((r) => `${r.kind}:${r.id}`)).toEqual(['GPU:GPU-a', 'GPU:GPU-b', 'NPU:F-1', 'GPU:GPU-c']);
    expect(failures).toEqual([expect.objectContaining({ cluster: 'north' })]);
  });

  it('keeps only the listed UUIDs, and nodes (which have none) when asked for', async () => {
    const { service } = setup();
    const { items } = await service.devices(
      { kinds: [DeviceHistoryKind.GPU, DeviceHistoryKind.NODE], uuids: ['GPU-c'] },
      {},
    );
    expect(items.map((r) => `${r.kind}:${r.id}`)).toEqual(['NODE:east/n1', 'GPU:GPU-c']);
  });

  it('refuses node history to a namespace-scoped key (node-wide) before reading', async () => {
    const { service } = setup();
    await expect(
      service.devices({ kinds: [DeviceHistoryKind.NODE] }, { namespaces: ['llm'] }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('reads each kind of the page once, whatever its device count, and fills every step', async () => {
    const { service, reads } = setup();
    const { items } = await service.devices({ kinds: Object.values(DeviceHistoryKind) }, {});
    const { series, failures } = await service.series(items, range, { gpu: [], node: [] as never[] }, {});
    expect(reads.map((r) => [r.kind, r.devices.length])).toEqual([
      ['gpu', 3],
      ['npu', 1],
      ['node', 1],
    ]);
    const a = series.find((s) => s.id === 'GPU-a')!;
    expect(a.gpuPoints?.map((p) => p.utilizationPercent ?? null)).toEqual([null, 40, null]);
    expect(a.gpuPoints?.[1]).toMatchObject({ score: 9 });
    expect(a.npuPoints).toBeUndefined();
    expect(series.find((s) => s.kind === DeviceHistoryKind.NPU)?.npuPoints?.[0]).toMatchObject({
      powerWatts: 50,
    });
    expect(series.find((s) => s.kind === DeviceHistoryKind.NODE)?.nodePoints?.[2]).toMatchObject({
      memoryUtilizationPercent: 25,
    });
    expect(failures).toEqual([expect.objectContaining({ cluster: 'east', message: 'ipmi down' })]);
  });

  it('reads the analyzer’s scores and node_exporter only when their metrics are asked for', async () => {
    const { service, reads } = setup();
    const { items } = await service.devices({ kinds: [DeviceHistoryKind.GPU, DeviceHistoryKind.NODE] }, {});
    await service.series(
      items,
      range,
      { gpu: ['powerWatts' as never], node: ['nodePowerWatts' as never] },
      {},
    );
    expect(reads.map((r) => [r.kind, r.extra])).toEqual([
      ['gpu', false],
      ['node', false],
    ]);
  });

  it('refuses a page of more than 250,000 points with BAD_USER_INPUT before reading', async () => {
    const { service, reads } = setup();
    const rows = Array.from({ length: 30 }, (_, i) => ({
      kind: DeviceHistoryKind.GPU,
      id: `GPU-${i}`,
      cluster: 'east',
      node: 'n1',
      uuid: `GPU-${i}`,
    }));
    const day = { from: new Date(at(0)), to: new Date(at(0) + 86_400_000), stepSeconds: 10 };
    await expect(service.series(rows, day, {}, {})).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      message: expect.stringContaining('30 devices × 8641 points'),
    });
    expect(reads).toHaveLength(0);
  });
});
