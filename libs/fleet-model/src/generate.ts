import { DEFAULT_GPU_MODEL } from './gpu-models';
import { hashString, toUnit } from './hash';
import { shortSuffix } from './identity';
import { WORKLOAD_PATTERNS } from './patterns';
import type { PatternMix, Scenario, ScenarioGenerator, ScenarioGpu, ScenarioNode } from './scenario';
import type { WorkloadPattern } from './types';

export const DEFAULT_MIX: PatternMix = {
  training: 0.4,
  inference: 0.2,
  notebook: 0.15,
  unallocated: 0.15,
  'dataloader-stall': 0.1,
};

/** 1/φ: successive multiples mod 1 spread evenly, so pattern shares match the mix to within one GPU. */
const INVERSE_GOLDEN_RATIO = 0.6180339887498949;

/**
 * Expands a cluster's `generate` block into explicit nodes. Training GPUs of a node form one multi-GPU job pod (as a
 * data-parallel job would); other allocated GPUs get one pod each, named by the model.
 */
export function expandGenerator(seed: string, cluster: string, g: ScenarioGenerator): ScenarioNode[] {
  const choose = patternChooser(g.mix ?? DEFAULT_MIX);
  const offset = toUnit(hashString(`mix|${seed}|${cluster}`));
  const prefix = g.nodePrefix ?? `${cluster}-gpu-`;
  const width = Math.max(3, String(g.nodes).length);
  const nodes: ScenarioNode[] = [];
  let ordinal = 0;
  for (let n = 0; n < g.nodes; n++) {
    const name = `${prefix}${String(n + 1).padStart(width, '0')}`;
    const trainingPod = `train-${shortSuffix(`${seed}|${cluster}|${name}|job`)}-${shortSuffix(`${seed}|${name}|pod`)}`;
    const gpus: ScenarioGpu[] = [];
    for (let i = 0; i < g.gpusPerNode; i++, ordinal++) {
      const pattern = choose((offset + ordinal * INVERSE_GOLDEN_RATIO) % 1);
      gpus.push(
        pattern === 'training'
          ? {
              pattern,
              namespace: n % 3 === 2 ? 'llm-pretrain' : 'ml-training',
              pod: trainingPod,
              container: 'trainer',
            }
          : { pattern },
      );
    }
    nodes.push({ name, gpuModel: g.gpuModel ?? DEFAULT_GPU_MODEL, gpus });
  }
  return nodes;
}

function patternChooser(mix: PatternMix): (u: number) => WorkloadPattern {
  const entries = WORKLOAD_PATTERNS.map((p) => [p, mix[p] ?? 0] as const).filter(([, w]) => w > 0);
  const total = entries.reduce((sum, [, w]) => sum + w, 0);
  return (u) => {
    let acc = 0;
    for (const [pattern, weight] of entries) {
      acc += weight / total;
      if (u < acc) return pattern;
    }
    const last = entries.at(-1);
    if (!last) throw new Error('a pattern mix needs at least one pattern with a weight above 0');
    return last[0];
  };
}

export interface GenerateScenarioOptions {
  readonly clusters: number;
  readonly nodesPerCluster: number;
  readonly gpusPerNode: number;
  readonly seed?: number | string;
  readonly gpuModel?: string;
  readonly mix?: PatternMix;
  readonly tickSeconds?: number;
}

/** A generator-form scenario: clusters `sim-01`, `sim-02`, ... of identical shape (benchmarks, scale tests). */
export function generateScenario(o: GenerateScenarioOptions): Scenario {
  const clusters = Array.from({ length: o.clusters }, (_, i) => ({
    name: `sim-${String(i + 1).padStart(2, '0')}`,
    generate: {
      nodes: o.nodesPerCluster,
      gpusPerNode: o.gpusPerNode,
      ...(o.gpuModel ? { gpuModel: o.gpuModel } : {}),
      ...(o.mix ? { mix: o.mix } : {}),
    },
  }));
  return { seed: o.seed ?? 1, ...(o.tickSeconds ? { tickSeconds: o.tickSeconds } : {}), clusters };
}
