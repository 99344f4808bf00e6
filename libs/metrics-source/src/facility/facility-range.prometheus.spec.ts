import type { AppConfig } from '@kcloud/common';
import type { ClusterRegistry, PromQL, RangeSeries } from '@kcloud/prometheus';
import { PrometheusFacilityRange } from './facility-range.prometheus';

const T = Date.UTC(2026, 0, 1);
const window = { from: new Date(T), to: new Date(T + 30_000), stepSeconds: 15 };

/** A registry of two clusters whose client answers `answer` to every range query; records what was sent. */
function fakeRegistry(answer: RangeSeries[]) {
  const sent: { cluster: string; query: string; step: number }[] = [];
  const registry = {
    async fanOut(
      clusters: readonly string[] | undefined,
      fn: (client: unknown, c: { name: string }) => Promise<unknown>,
    ) {
      const results = await Promise.all(
        (clusters ?? ['east', 'west']).map(async (name) => ({
          cluster: name,
          value: await fn(
            {
              range: async (query: PromQL, opts: { stepSeconds: number }) => {
                sent.push({ cluster: name, query, step: opts.stepSeconds });
                return answer;
              },
            },
            { name },
          ),
        })),
      );
      return { results, failures: [] };
    },
  } as unknown as ClusterRegistry;
  return { registry, sent };
}

const config = (facilityQuery?: string) => ({ power: { facilityQuery } }) as unknown as AppConfig;

describe('PrometheusFacilityRange', () => {
  it('ranges the configured facility expression summed, per cluster, keeping finite readings in time order', async () => {
    const { registry, sent } = fakeRegistry([
      {
        labels: {},
        points: [
          { timestampMs: T + 15_000, value: 5200 },
          { timestampMs: T, value: 5000 },
          { timestampMs: T + 30_000, value: Number.NaN },
        ],
      },
    ]);
    const source = new PrometheusFacilityRange(registry, config('facility_power_watts{site="a"}'));
    const { items, failures } = await source.facilityPowerRange({ clusters: ['east'] }, window);
    expect(failures).toEqual([]);
    expect(items).toEqual([
      {
        cluster: 'east',
        points: [
          { timestampMs: T, value: 5000 },
          { timestampMs: T + 15_000, value: 5200 },
        ],
      },
    ]);
    expect(sent).toEqual([{ cluster: 'east', query: 'sum ((facility_power_watts{site="a"}))', step: 15 }]);
  });

  it('reads nothing when no facility source is configured or the filter matches nothing', async () => {
    const { registry, sent } = fakeRegistry([]);
    expect(
      (await new PrometheusFacilityRange(registry, config()).facilityPowerRange({}, window)).items,
    ).toEqual([]);
    const configured = new PrometheusFacilityRange(registry, config('x'));
    expect((await configured.facilityPowerRange({ clusters: [] }, window)).items).toEqual([]);
    expect(sent).toEqual([]);
  });
});
