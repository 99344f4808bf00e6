import { defaultScenario } from '@kcloud/fleet-model';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { useStack } from './harness/use-stack';
import { bothScrapeShapes } from './harness/stacks';
import { at } from './harness/indexed';

interface HealthNode {
  id: string;
  uuid: string;
  memoryClockMHz: number | null;
  health: {
    status: string;
    lastXid: number | null;
    lastXidDescription: string | null;
    eccDoubleBitVolatileCount: number | null;
    eccSingleBitVolatileCount: number | null;
    retiredPagesDoubleBitCount: number | null;
    remappedRowsUncorrectableCount: number | null;
    rowRemapFailure: boolean | null;
    throttleReasons: string[];
    pcieReplayCount: number | null;
    nvlinkErrorCount: number | null;
    reasons: string[];
  };
}

const QUERY = `query($filter: GpuFilterInput) { gpus(filter: $filter, first: 1000) { edges { node {
  id uuid memoryClockMHz health { status lastXid lastXidDescription eccDoubleBitVolatileCount eccSingleBitVolatileCount
  retiredPagesDoubleBitCount remappedRowsUncorrectableCount rowRemapFailure throttleReasons pcieReplayCount
  nvlinkErrorCount reasons } } } } }`;

type Result = { gpus: { edges: { node: HealthNode }[] } };

describe('GPU health through a real Prometheus scraping the simulator', () => {
  // An operator who enabled every health row of the CSV (ECC, retired pages, NVLink errors, clock events too).
  const scenario = { ...defaultScenario(), tickSeconds: 3600, dcgmHealthCounters: 'all' as const };

  const stack = useStack(scenario, bothScrapeShapes(scenario), { CACHE_TTL_REALTIME_SECONDS: '0' });
  afterEach(() => stack.model.faults.clear());

  const read = async (filter?: object): Promise<HealthNode[]> => {
    const res = await gql<Result>(stack.url, QUERY, filter ? { filter } : undefined);
    expect(res.errors).toBeUndefined();
    return res.data!.gpus.edges.map((e) => e.node);
  };
  /** Polls until Prometheus has scraped the injected fault and the API shows the GPU in `status`. */
  const waitFor = (uuid: string, status: string): Promise<HealthNode> =>
    pollUntil(`GPU ${uuid} ${status}`, async () => {
      const found = (await read({ uuid })).find((g) => g.health.status === status);
      return found;
    });
  const wholeGpus = () => stack.model.gpus().filter((g) => g.migInstanceId === undefined);

  it('reports every GPU HEALTHY with zero counters, XID 0 "No Error" and the simulator memory clock', async () => {
    const gpus = await read();
    expect(gpus).toHaveLength(stack.model.gpus().length);
    for (const g of gpus) {
      const sim = stack.model.gpus().find((s) => s.uuid === g.uuid)!;
      expect(g.memoryClockMHz).toBe(sim.memClockMHz);
      expect(g.health).toEqual({
        status: 'HEALTHY',
        lastXid: 0,
        lastXidDescription: 'No Error',
        eccDoubleBitVolatileCount: 0,
        eccSingleBitVolatileCount: 0,
        retiredPagesDoubleBitCount: 0,
        remappedRowsUncorrectableCount: 0,
        rowRemapFailure: false,
        throttleReasons: [],
        pcieReplayCount: 0,
        nvlinkErrorCount: 0,
        reasons: [],
      });
    }
  });

  it('marks a GPU that threw XID 79 CRITICAL with the reason, and the health filter finds only it', async () => {
    const faulty = at(wholeGpus(), 0, 'whole GPU');
    stack.model.faults.set(faulty.uuid, { xid: 79 });
    const g = await waitFor(faulty.uuid, 'CRITICAL');
    expect(g.health.lastXid).toBe(79);
    expect(g.health.lastXidDescription).toBe('GPU has fallen off the bus');
    expect(g.health.reasons).toEqual(['XID 79: GPU has fallen off the bus']);
    const critical = await read({ health: ['CRITICAL'] });
    expect(critical.map((c) => c.uuid)).toEqual([faulty.uuid]);
    const healthy = await read({ health: ['HEALTHY'] });
    expect(healthy.map((h) => h.uuid)).not.toContain(faulty.uuid);
    expect(healthy).toHaveLength(stack.model.gpus().length - 1);
  });

  it('marks double-bit ECC errors CRITICAL', async () => {
    const faulty = at(wholeGpus(), 1, 'whole GPU');
    stack.model.faults.set(faulty.uuid, { eccDbeVolatile: 2 });
    const g = await waitFor(faulty.uuid, 'CRITICAL');
    expect(g.health.eccDoubleBitVolatileCount).toBe(2);
    expect(g.health.reasons).toEqual(['2 double-bit ECC error(s) since the driver loaded']);
  });

  it('marks a hardware slowdown a WARNING with the decoded reason names', async () => {
    const faulty = at(wholeGpus(), 2, 'whole GPU');
    stack.model.faults.set(faulty.uuid, { clocksEventReasons: 0x8 | 0x1 });
    const g = await waitFor(faulty.uuid, 'WARNING');
    expect(g.health.throttleReasons).toEqual(['GPU_IDLE', 'HW_SLOWDOWN']);
    expect(g.health.reasons).toEqual(['clocks reduced by HW_SLOWDOWN']);
    expect((await read({ health: ['WARNING'] })).map((w) => w.uuid)).toEqual([faulty.uuid]);
  });
});
