import type { SimNodeEnergy, SimNodePower } from '@kcloud/fleet-model';

import type { MetricType } from './text-format';

// What both Kepler versions' family tables are made of (kepler-v010.ts, kepler-v07.ts); kepler.ts renders them.

export interface KeplerNodeView {
  readonly power: SimNodePower;
  readonly energy: SimNodeEnergy;
  readonly gpus: readonly { readonly uuid: string; readonly index: number; readonly model: string }[];
}

export type Row = readonly [labels: Record<string, string>, value: number];

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: MetricType;
  readonly rows: (n: KeplerNodeView) => readonly Row[];
  /** Constant families (build/node info) appear once per body, not once per node. */
  readonly once?: boolean;
}

export type PodPower = SimNodePower['pods'][number];

export const podsOf = (n: KeplerNodeView) =>
  n.power.pods.map((p) => ({ p, e: n.energy.pods.get(p.uid) })).filter((x) => x.e !== undefined);
