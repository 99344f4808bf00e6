import { defaultScenario, fleetPower } from '@kcloud/fleet-model';
import { apiKeysEnv, bearer } from './harness/api-keys';
import { gql } from './harness/graphql-client';
import { useStack } from './harness/use-stack';
import { eastWest } from './harness/stacks';

const ADMIN_KEY = 'kc_labels_admin_5d2e';
const ADMIN = bearer(ADMIN_KEY);
const WEST_ONLY_KEY = 'kc_labels_west_7b1c';
const WEST_ONLY = bearer(WEST_ONLY_KEY);

interface Label {
  name: string;
  value: string;
}

/** PROMETHEUS_CLUSTERS labels (Algalon's platform, datacenter) shown, filtered on and grouped by, through real Prometheus. */
describe('cluster labels', () => {
  const scenario = { ...defaultScenario(), tickSeconds: 3600 };
  const [east, west] = eastWest(scenario);

  const stack = useStack(
    scenario,
    [
      {
        name: east,
        shape: 'plain',
        power: { ipmi: false },
        labels: { platform: 'dgx', datacenter: 'dc1' },
      },
      {
        name: west,
        shape: 'exported',
        power: { ipmi: false },
        labels: { platform: 'hgx', datacenter: 'dc1' },
      },
    ],
    {
      ANALYZER_ENABLED: 'false',
      API_KEYS: apiKeysEnv([
        { name: 'labels-admin', secret: ADMIN_KEY, role: 'admin' },
        {
          name: 'labels-west',
          secret: WEST_ONLY_KEY,
          role: 'partner',
          clusters: [west],
        },
      ]),
    },
  );
  const ask = <T>(query: string, variables: Record<string, unknown> = {}, headers = ADMIN) =>
    gql<T>(stack.url, query, variables, headers);

  const LIST = `query($f: ClusterFilterInput) { clusters(filter: $f) { name labels { name value } } }`;
  type ListResult = { clusters: { name: string; labels: Label[] }[] };

  it('shows each cluster’s labels, sorted by name', async () => {
    const res = await ask<ListResult>(LIST);
    expect(res.errors).toBeUndefined();
    expect(res.data!.clusters).toEqual(
      [
        {
          name: east,
          labels: [
            { name: 'datacenter', value: 'dc1' },
            { name: 'platform', value: 'dgx' },
          ],
        },
        {
          name: west,
          labels: [
            { name: 'datacenter', value: 'dc1' },
            { name: 'platform', value: 'hgx' },
          ],
        },
      ].sort((a, b) => a.name.localeCompare(b.name)),
    );
  });

  it('filters clusters on every given label, within the key’s scope', async () => {
    const names = async (labels: Label[], headers = ADMIN) =>
      (await ask<ListResult>(LIST, { f: { labels } }, headers)).data!.clusters.map((c) => c.name);
    expect(await names([{ name: 'platform', value: 'dgx' }])).toEqual([east]);
    expect((await names([{ name: 'datacenter', value: 'dc1' }])).sort()).toEqual([east, west].sort());
    expect(
      await names([
        { name: 'datacenter', value: 'dc1' },
        { name: 'platform', value: 'hgx' },
      ]),
    ).toEqual([west]);
    expect(await names([{ name: 'datacenter', value: 'dc2' }])).toEqual([]);
    // A key scoped to west never learns of east through a label filter.
    expect(await names([{ name: 'platform', value: 'dgx' }], WEST_ONLY)).toEqual([]);
    expect(await names([{ name: 'datacenter', value: 'dc1' }], WEST_ONLY)).toEqual([west]);
  });

  it('groups power by a cluster label, adding up to the simulator’s cluster power', async () => {
    const Q = `query($l: String) { powerBreakdown(groupBy: CLUSTER, clusterLabel: $l) { key watts } }`;
    type R = { powerBreakdown: { key: string; watts: number }[] };
    const power = fleetPower(stack.model);
    const [eastW, westW] = [power.itPowerWattsAt(east), power.itPowerWattsAt(west)];
    const byPlatform = await ask<R>(Q, { l: 'platform' });
    expect(byPlatform.errors).toBeUndefined();
    const got = Object.fromEntries(byPlatform.data!.powerBreakdown.map((g) => [g.key, g.watts]));
    expect(Object.keys(got).sort()).toEqual(['dgx', 'hgx']);
    expect(got.dgx).toBeCloseTo(eastW, 6);
    expect(got.hgx).toBeCloseTo(westW, 6);
    const byDc = (await ask<R>(Q, { l: 'datacenter' })).data!.powerBreakdown;
    expect(byDc.map((g) => g.key)).toEqual(['dc1']);
    expect(byDc[0]!.watts).toBeCloseTo(eastW + westW, 6);
    // Clusters without the label are one group under the empty key.
    const none = (await ask<R>(Q, { l: 'rack' })).data!.powerBreakdown;
    expect(none.map((g) => g.key)).toEqual(['']);
  });

  it('refuses a clusterLabel with another grouping or that is no label name', async () => {
    const other = await ask(`{ powerBreakdown(groupBy: NODE, clusterLabel: "platform") { key } }`);
    expect(other.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const bad = await ask(`{ powerBreakdown(groupBy: CLUSTER, clusterLabel: "data-center") { key } }`);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
