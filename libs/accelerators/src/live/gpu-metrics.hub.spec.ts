import { DomainError, type TenantScope, UNRESTRICTED } from '@kcloud/common';
import { ManualStreamScheduler as ManualScheduler } from '@kcloud/realtime';
import type { DataQualityService } from '../data-quality.service';
import type { GpuMetricsSnapshot } from './gpu-metrics-snapshot.model';
import { GpuMetricsHub } from './gpu-metrics.hub';

const sample = (uuid: string, namespace: string) => ({
  uuid,
  index: 0,
  cluster: 'east',
  node: 'n1',
  model: 'H100',
  namespace,
  utilizationPercent: 42,
  memoryUsedMiB: 1000,
  observedAt: new Date(0),
});

function setup() {
  const reads: { filter: unknown; scope: TenantScope; fresh: boolean }[] = [];
  const quality = {
    gpus: async (filter: unknown, scope: TenantScope, fresh = false) => {
      reads.push({ filter, scope, fresh });
      const all = [sample('GPU-a', 'team-a'), sample('GPU-b', 'team-b'), sample('GPU-c', 'team-a')];
      const seen = all.filter((g) => !scope.namespaces || scope.namespaces.includes(g.namespace));
      return {
        items: seen.map((s) => ({ sample: s, quality: { status: 'OK', nullFields: [] } })),
        failures: [{ cluster: 'west', message: 'down' }],
      };
    },
  } as unknown as DataQualityService;
  const scheduler = new ManualScheduler();
  return { hub: new GpuMetricsHub(quality, scheduler), scheduler, reads };
}

const flush = () => new Promise((r) => setImmediate(r));
const TEAM_A: TenantScope = { namespaces: ['team-a'] };
const args = { filter: {}, intervalSeconds: 5, first: 100 };

describe('GpuMetricsHub', () => {
  it('reads upstream once per tick for any number of subscribers with equal arguments and scope', async () => {
    const { hub, scheduler, reads } = setup();
    const its = Array.from({ length: 50 }, () => hub.iterate(args, UNRESTRICTED));
    const first = await Promise.all(its.map((it) => it.next()));
    scheduler.tickAll();
    const second = await Promise.all(its.map((it) => it.next()));
    expect(reads).toHaveLength(2);
    // Past the response cache: each tick must see new readings even when the realtime TTL is longer.
    expect(reads.every((r) => r.fresh)).toBe(true);
    expect(hub.computations).toBe(2);
    expect(new Set(first.map((r) => r.value))).toEqual(new Set([first[0]!.value]));
    expect(second[0]!.value!.sequence).toBe(2);
    expect(second[0]!.value!.unavailableClusters).toEqual(['west']);
    await Promise.all(its.map((it) => it.return!()));
    expect(scheduler.timers.size).toBe(0);
  });

  it('keeps scopes apart: a namespace key gets its own stream and only its pods’ GPUs', async () => {
    const { hub, reads } = setup();
    const admin = hub.iterate(args, UNRESTRICTED);
    const tenant = hub.iterate(args, TEAM_A);
    const [a, t] = (await Promise.all([admin.next(), tenant.next()])).map(
      (r) => r.value as GpuMetricsSnapshot,
    );
    expect(hub.activeStreams).toBe(2);
    expect(reads.map((r) => r.scope)).toEqual([UNRESTRICTED, TEAM_A]);
    expect(a!.gpus.map((g) => g.uuid)).toEqual(['GPU-a', 'GPU-b', 'GPU-c']);
    expect(t!.gpus.map((g) => g.uuid)).toEqual(['GPU-a', 'GPU-c']);
    expect(t!.gpus.every((g) => g.namespace === 'team-a')).toBe(true);
    await Promise.all([admin.return!(), tenant.return!()]);
  });

  it('separates streams by filter, interval and first, and caps the GPUs per snapshot at first', async () => {
    const { hub } = setup();
    const its = [
      hub.iterate(args, UNRESTRICTED),
      hub.iterate({ ...args, filter: { node: 'n1' } }, UNRESTRICTED),
      hub.iterate({ ...args, intervalSeconds: 10 }, UNRESTRICTED),
      hub.iterate({ ...args, first: 1 }, UNRESTRICTED),
    ];
    expect(hub.activeStreams).toBe(4);
    const capped = (await its[3]!.next()).value!;
    expect([capped.gpus.length, capped.totalCount]).toEqual([1, 3]);
    expect(capped.gpus[0]).toMatchObject({ id: 'GPU-a', dataQuality: { status: 'OK' } });
    await Promise.all(its.map((it) => it.return!()));
    await flush();
    expect(hub.activeStreams).toBe(0);
  });

  it.each([
    [{ ...args, intervalSeconds: 0 }, /intervalSeconds/],
    [{ ...args, intervalSeconds: 301 }, /intervalSeconds/],
    [{ ...args, first: 0 }, /first/],
    [{ ...args, first: 501 }, /first/],
  ])('refuses %o with BAD_USER_INPUT before starting a timer', (bad, message) => {
    const { hub, scheduler } = setup();
    expect(() => hub.iterate(bad, UNRESTRICTED)).toThrow(DomainError);
    expect(() => hub.iterate(bad, UNRESTRICTED)).toThrow(message);
    expect(scheduler.timers.size).toBe(0);
  });
});
