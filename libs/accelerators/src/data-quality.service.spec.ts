import type { Counter } from 'prom-client';
import { type AppConfig, ErrorCode, loadConfig } from '@kcloud/common';
import {
  DataQualityStatus,
  type DeviceFilter,
  type DeviceQualitySource,
  type GpuQualityEvidence,
  InvalidReadingReason,
  type NpuQualityEvidence,
} from '@kcloud/metrics-source';
import { AcceleratorsService } from './accelerators.service';
import { InvalidReadingsCounter } from './data-quality.metrics';
import { DataQualityService } from './data-quality.service';
import { NpuService } from './npu.service';
import { fakeSource, gpu, npu, passThroughCache } from './testing/fakes';

const T = new Date('2026-01-15T12:00:00Z');
const UP = { instance: 'n1:9400', job: 'dcgm' };
const DOWN = { instance: 'n2:9400', job: 'dcgm' };
const BLANK = [{ field: 'temperatureCelsius', reason: InvalidReadingReason.DCGM_BLANK }];

function setup(opts: { gpuEvidence?: GpuQualityEvidence[]; failures?: boolean } = {}) {
  const samples = fakeSource({
    gpus: {
      items: [
        gpu({ uuid: 'G-1', scrapeTarget: UP }),
        gpu({ uuid: 'G-2', index: 1, scrapeTarget: UP, invalidReadings: BLANK }),
        gpu({ uuid: 'G-3', index: 2, scrapeTarget: UP }),
      ],
      failures: opts.failures
        ? [{ cluster: 'c2', code: ErrorCode.CLUSTER_UNAVAILABLE, message: 'down' }]
        : [],
    },
    npus: { items: [npu({ uuid: 'N-1' })], failures: [] },
  });
  const evidenceCalls: DeviceFilter[] = [];
  const gpuEvidence = opts.gpuEvidence ?? [
    {
      cluster: 'c1',
      evaluatedAt: T,
      targets: [
        { target: UP, up: true, scrapeIntervalSeconds: 15 },
        { target: DOWN, up: false, scrapeIntervalSeconds: 15 },
      ],
      frozenKeys: ['G-3'],
      unreachable: [
        gpu({ uuid: 'G-9', node: 'n2', scrapeTarget: DOWN, observedAt: new Date(T.getTime() - 40_000) }),
      ],
    },
  ];
  const source: DeviceQualitySource = {
    gpuEvidence: async (filter) => {
      evidenceCalls.push(filter);
      return {
        items: gpuEvidence,
        failures: opts.failures
          ? [{ cluster: 'c2', code: ErrorCode.CLUSTER_UNAVAILABLE, message: 'down' }]
          : [],
      };
    },
    npuEvidence: async (): Promise<{ items: NpuQualityEvidence[]; failures: [] }> => ({
      items: [],
      failures: [],
    }),
  };
  const incs: Record<string, string>[] = [];
  const counter = {
    inc: (labels: Record<string, string>) => incs.push(labels),
  } as unknown as Counter<string>;
  const config = loadConfig({ PROMETHEUS_CLUSTERS: JSON.stringify([{ name: 'c1', url: 'http://p:9090' }]) });
  const npus = new NpuService(samples.source, passThroughCache);
  const service = new DataQualityService(
    source,
    new AcceleratorsService(samples.source, passThroughCache, npus),
    npus,
    passThroughCache,
    config as AppConfig,
    new InvalidReadingsCounter(counter, config),
  );
  return { service, incs, evidenceCalls };
}

describe('DataQualityService', () => {
  it('judges every GPU and lists the devices of a down target after the live ones', async () => {
    const { service } = setup();
    const { items } = await service.gpus({});
    expect(items.map((i) => [i.sample.uuid, i.quality.status])).toEqual([
      ['G-1', DataQualityStatus.OK],
      ['G-2', DataQualityStatus.PARTIAL],
      ['G-3', DataQualityStatus.FROZEN],
      ['G-9', DataQualityStatus.EXPORTER_DOWN],
    ]);
    expect(items[3]!.quality.sampleAgeSeconds).toBe(40);
  });

  it.each([
    [[DataQualityStatus.EXPORTER_DOWN], ['G-9']],
    [
      [DataQualityStatus.FROZEN, DataQualityStatus.PARTIAL],
      ['G-2', 'G-3'],
    ],
    [[DataQualityStatus.STALE], []],
  ])('filters by dataQuality %o', async (dataQuality, uuids) => {
    const { service } = setup();
    expect((await service.gpus({ dataQuality })).items.map((i) => i.sample.uuid)).toEqual(uuids);
  });

  it('asks the quality source with the same filter as the samples, narrowed to the scope', async () => {
    const { service, evidenceCalls } = setup();
    await service.gpus({ cluster: 'c1', node: 'n2' }, { clusters: ['c1'], namespaces: ['ml'] });
    expect(evidenceCalls).toEqual([{ clusters: ['c1'], nodes: ['n2'], namespaces: ['ml'] }]);
  });

  it('reports a cluster that failed both reads once', async () => {
    const { service } = setup({ failures: true });
    expect((await service.gpus({})).failures).toHaveLength(1);
  });

  it('counts a refused reading once per scrape, however often it is read', async () => {
    const { service, incs } = setup();
    await service.gpus({});
    await service.gpus({});
    expect(incs).toEqual([
      {
        cluster: 'c1',
        exporter: 'dcgm',
        field: 'temperatureCelsius',
        reason: InvalidReadingReason.DCGM_BLANK,
      },
    ]);
  });

  it('counts devices per cluster and status, NPUs included', async () => {
    const { service } = setup();
    const { items } = await service.counts(['c1']);
    expect(Object.fromEntries(items.map((c) => [c.status, c.count]))).toEqual({
      OK: 2,
      PARTIAL: 1,
      FROZEN: 1,
      EXPORTER_DOWN: 1,
    });
  });
});
