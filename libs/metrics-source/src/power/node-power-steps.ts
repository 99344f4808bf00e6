import type { NodePowerComponent, NodePowerSample, NodePowerSeries } from './power.port';
import { wholeNodePowerOf } from './node-power-rules';

export interface NodePowerStep {
  readonly at: number;
  readonly cluster: string;
  readonly node: string;
  readonly values: Readonly<Partial<Record<NodePowerComponent, number>>>;
  /** The node's whole power at that step by the shared rule; undefined when nothing adds up to it. */
  readonly whole: ReturnType<typeof wholeNodePowerOf>;
}

/** Series (one per node, points per component) pivoted to one entry per node and step (pure, unordered). */
export function nodePowerSteps(series: readonly NodePowerSeries[]): NodePowerStep[] {
  const steps: NodePowerStep[] = [];
  for (const s of series) {
    const byTime = new Map<number, Partial<Record<NodePowerComponent, number>>>();
    for (const [component, points] of Object.entries(s.components) as [
      NodePowerComponent,
      readonly { timestampMs: number; value: number }[],
    ][])
      for (const p of points)
        byTime.set(p.timestampMs, { ...byTime.get(p.timestampMs), [component]: p.value });
    for (const [at, values] of byTime) {
      const sample: NodePowerSample = {
        cluster: s.cluster,
        node: s.node,
        observedAt: new Date(at),
        ...values,
      };
      steps.push({ at, cluster: s.cluster, node: s.node, values, whole: wholeNodePowerOf(sample) });
    }
  }
  return steps;
}
