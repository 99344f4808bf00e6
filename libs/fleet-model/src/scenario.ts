import { readFileSync } from 'node:fs';

import { parse as parseYaml } from 'yaml';

import { BlankReadings, type BlankRule } from './blank-readings';
import { FleetModelError } from './errors';
import type { SimGpuExporter } from './gpu-exporters';
import { findGpuModel, findMigProfile, GPU_MODELS, MIG_PROFILES, MIG_SLICES_PER_GPU } from './gpu-models';
import { isWorkloadPattern, WORKLOAD_PATTERNS } from './patterns';
import type { ScenarioNpuNode } from './npu-scenario';
import type { WorkloadPattern } from './types';

/** The scenario file (JSON or YAML); see apps/fleet-sim/README.md for the documented format. */
export interface Scenario {
  readonly seed: number | string;
  /** Values are constant within `floor(tMs / (tickSeconds * 1000))`; default 10. */
  readonly tickSeconds?: number;
  /** DCGM_FI_DRIVER_VERSION label; default 580.105.08. */
  readonly driverVersion?: string;
  readonly clusters: readonly ScenarioCluster[];
  /**
   * Families served as a blank or impossible value from the start (see blank-readings.ts), e.g.
   * `{metric: DCGM_FI_DEV_GPU_TEMP, node: gpu-node-1, labels: {gpu: "0"}, form: int64}`; off when absent.
   */
  readonly blanks?: readonly BlankRule[];
  /**
   * dcgm-exporter health rows beyond the default CSV's (XID, PCIe replay, remapped rows, row-remap failure): `all`
   * also serves ECC SBE/DBE, retired pages, NVLink error counters and clock-event reasons, as an operator who
   * uncomments them gets. Default `default`.
   */
  readonly dcgmHealthCounters?: 'default' | 'all';
}

/** Either explicit `nodes` or a `generate` block (scales to 10,000+ GPUs). */
export interface ScenarioCluster {
  readonly name: string;
  readonly nodes?: readonly ScenarioNode[];
  readonly generate?: ScenarioGenerator;
  /** Which GPU exporter the cluster runs (default dcgm); checked by validateAcceleratorScenario. */
  readonly gpuExporter?: SimGpuExporter;
  /** NPU cards per node; checked by validateAcceleratorScenario. */
  readonly npuNodes?: readonly ScenarioNpuNode[];
  /**
   * Who reports the cluster's NPU cards: their vendors' exporters (default) or all-smi, which lists them as
   * `type="NPU"` device rows beside its GPUs (no pod attribution). Checked by validateAcceleratorScenario.
   */
  readonly npuExporter?: 'vendor' | 'all-smi';
}

export interface ScenarioNode {
  readonly name: string;
  readonly gpuModel: string;
  readonly gpus: readonly ScenarioGpu[];
}

/** Missing tenant parts of an allocated device are filled in deterministically. */
export interface ScenarioTenantFields {
  readonly namespace?: string;
  readonly pod?: string;
  readonly container?: string;
}

export interface ScenarioGpu extends ScenarioTenantFields {
  /** Ignored (may be omitted) when `mig` is set: a MIG-enabled GPU is only reported per instance. */
  readonly pattern?: WorkloadPattern;
  readonly mig?: readonly ScenarioMigInstance[];
}

export interface ScenarioMigInstance extends ScenarioTenantFields {
  readonly profile: string;
  /** NVML GPU-instance id (GPU_I_ID). */
  readonly instanceId: string | number;
  readonly pattern: WorkloadPattern;
}

export type PatternMix = Readonly<Partial<Record<WorkloadPattern, number>>>;

export interface ScenarioGenerator {
  readonly nodes: number;
  readonly gpusPerNode: number;
  readonly gpuModel?: string;
  /** Relative weights; default {training: .4, inference: .2, notebook: .15, unallocated: .15, dataloader-stall: .1}. */
  readonly mix?: PatternMix;
  /** Node name prefix; default `<cluster>-gpu-`. */
  readonly nodePrefix?: string;
}

export function loadScenarioFile(path: string): Scenario {
  return parseScenario(readFileSync(path, 'utf8'), path);
}

/** YAML is a superset of JSON, so one parser reads both. */
export function parseScenario(text: string, source = 'scenario'): Scenario {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new FleetModelError('BAD_USER_INPUT', `${source}: not valid YAML/JSON: ${(err as Error).message}`);
  }
  return validateScenario(raw, source);
}

/** Checks the whole scenario and reports every problem at once. */
export function validateScenario(raw: unknown, source = 'scenario'): Scenario {
  const problems: string[] = [];
  const v = new Checker(problems);
  if (!v.object(raw, '')) throw invalid(source, problems);
  if (typeof raw.seed !== 'number' && typeof raw.seed !== 'string')
    problems.push('seed: a number or string is required');
  if (raw.tickSeconds !== undefined) v.positive(raw.tickSeconds, 'tickSeconds');
  if (raw.driverVersion !== undefined) v.text(raw.driverVersion, 'driverVersion');
  if (raw.blanks !== undefined) checkBlanks(raw.blanks, problems);
  const health = raw.dcgmHealthCounters;
  if (health !== undefined && health !== 'default' && health !== 'all')
    problems.push('dcgmHealthCounters: default or all');
  if (!Array.isArray(raw.clusters) || raw.clusters.length === 0)
    problems.push('clusters: a non-empty list is required');
  else {
    v.unique(raw.clusters, 'clusters', 'name');
    raw.clusters.forEach((c, i) => checkCluster(v, c, `clusters[${i}]`));
  }
  if (problems.length > 0) throw invalid(source, problems);
  return raw as unknown as Scenario;
}

function checkBlanks(blanks: unknown, problems: string[]): void {
  if (!Array.isArray(blanks)) return void problems.push('blanks: a list is required');
  blanks.forEach((rule, i) => {
    try {
      new BlankReadings().set(rule as BlankRule);
    } catch (e) {
      problems.push(`blanks[${i}]: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
}

function checkCluster(v: Checker, c: unknown, at: string): void {
  if (!v.object(c, at)) return;
  v.text(c.name, `${at}.name`);
  if ((c.nodes === undefined) === (c.generate === undefined)) {
    v.problems.push(`${at}: exactly one of "nodes" or "generate" is required`);
    return;
  }
  if (c.generate !== undefined) return checkGenerator(v, c.generate, `${at}.generate`);
  if (!Array.isArray(c.nodes)) return void v.problems.push(`${at}.nodes: a list is required`);
  v.unique(c.nodes, `${at}.nodes`, 'name');
  c.nodes.forEach((n, i) => checkNode(v, n, `${at}.nodes[${i}]`));
}

function checkGenerator(v: Checker, g: unknown, at: string): void {
  if (!v.object(g, at)) return;
  v.positive(g.nodes, `${at}.nodes`, true);
  v.positive(g.gpusPerNode, `${at}.gpusPerNode`, true);
  if (g.gpuModel !== undefined) v.gpuModel(g.gpuModel, `${at}.gpuModel`);
  if (g.nodePrefix !== undefined) v.text(g.nodePrefix, `${at}.nodePrefix`);
  if (g.mix === undefined || !v.object(g.mix, `${at}.mix`)) return;
  let total = 0;
  for (const [key, weight] of Object.entries(g.mix)) {
    if (!isWorkloadPattern(key))
      v.problems.push(`${at}.mix.${key}: unknown pattern (${WORKLOAD_PATTERNS.join(', ')})`);
    if (typeof weight !== 'number' || !(weight >= 0))
      v.problems.push(`${at}.mix.${key}: a weight >= 0 is required`);
    else total += weight;
  }
  if (total <= 0) v.problems.push(`${at}.mix: at least one weight must be > 0`);
}

function checkNode(v: Checker, n: unknown, at: string): void {
  if (!v.object(n, at)) return;
  v.text(n.name, `${at}.name`);
  const model = v.gpuModel(n.gpuModel, `${at}.gpuModel`);
  if (!Array.isArray(n.gpus)) return void v.problems.push(`${at}.gpus: a list is required`);
  n.gpus.forEach((g, i) => {
    const gAt = `${at}.gpus[${i}]`;
    if (!v.object(g, gAt)) return;
    if (g.mig === undefined) {
      v.pattern(g.pattern, `${gAt}.pattern`);
      v.tenant(g, g.pattern, gAt);
      return;
    }
    if (g.pattern !== undefined) v.pattern(g.pattern, `${gAt}.pattern`);
    if (model && !model.migCapable) v.problems.push(`${gAt}.mig: ${model.name} does not support MIG`);
    checkMig(v, g.mig, `${gAt}.mig`);
  });
}

function checkMig(v: Checker, mig: unknown, at: string): void {
  if (!Array.isArray(mig) || mig.length === 0)
    return void v.problems.push(`${at}: a non-empty list is required`);
  let slices = 0;
  const ids = new Set<string>();
  mig.forEach((m, i) => {
    const mAt = `${at}[${i}]`;
    if (!v.object(m, mAt)) return;
    const profile = typeof m.profile === 'string' ? findMigProfile(m.profile) : undefined;
    if (!profile)
      v.problems.push(`${mAt}.profile: unknown MIG profile (${MIG_PROFILES.map((p) => p.name).join(', ')})`);
    else slices += profile.slices;
    if (typeof m.instanceId !== 'string' && typeof m.instanceId !== 'number')
      v.problems.push(`${mAt}.instanceId: a GPU instance id is required`);
    else if (ids.has(String(m.instanceId))) v.problems.push(`${mAt}.instanceId: duplicate ${m.instanceId}`);
    else ids.add(String(m.instanceId));
    v.pattern(m.pattern, `${mAt}.pattern`);
    v.tenant(m, m.pattern, mAt);
  });
  if (slices > MIG_SLICES_PER_GPU)
    v.problems.push(`${at}: ${slices} compute slices exceed the ${MIG_SLICES_PER_GPU} of a GPU`);
}

type Obj = Record<string, unknown>;

class Checker {
  constructor(readonly problems: string[]) {}

  object(x: unknown, at: string): x is Obj {
    if (typeof x === 'object' && x !== null && !Array.isArray(x)) return true;
    this.problems.push(`${at || '(root)'}: an object is required`);
    return false;
  }

  text(x: unknown, at: string): void {
    if (typeof x !== 'string' || x.length === 0) this.problems.push(`${at}: a non-empty string is required`);
  }

  positive(x: unknown, at: string, integer = false): void {
    if (typeof x !== 'number' || !(x > 0) || (integer && !Number.isInteger(x)))
      this.problems.push(`${at}: a positive ${integer ? 'integer' : 'number'} is required`);
  }

  pattern(x: unknown, at: string): void {
    if (!isWorkloadPattern(x))
      this.problems.push(`${at}: one of ${WORKLOAD_PATTERNS.join(', ')} is required`);
  }

  gpuModel(x: unknown, at: string): ReturnType<typeof findGpuModel> {
    const model = typeof x === 'string' ? findGpuModel(x) : undefined;
    if (!model) this.problems.push(`${at}: unknown GPU model (${GPU_MODELS.map((m) => m.name).join(', ')})`);
    return model;
  }

  tenant(x: Obj, pattern: unknown, at: string): void {
    for (const key of ['namespace', 'pod', 'container'] as const)
      if (x[key] !== undefined) this.text(x[key], `${at}.${key}`);
    const hasTenant = x.namespace !== undefined || x.pod !== undefined || x.container !== undefined;
    if (pattern === 'unallocated' && hasTenant)
      this.problems.push(`${at}: an unallocated device has no namespace/pod/container`);
  }

  unique(list: readonly unknown[], at: string, key: string): void {
    const seen = new Set<unknown>();
    for (const item of list) {
      const value = typeof item === 'object' && item !== null ? (item as Obj)[key] : undefined;
      if (value !== undefined && seen.has(value))
        this.problems.push(`${at}: duplicate ${key} "${String(value)}"`);
      seen.add(value);
    }
  }
}

function invalid(source: string, problems: readonly string[]): FleetModelError {
  return new FleetModelError('BAD_USER_INPUT', `${source} is invalid:\n  - ${problems.join('\n  - ')}`);
}
