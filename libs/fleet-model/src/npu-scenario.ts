import { FleetModelError } from './errors';
import { isSimGpuExporter, SIM_GPU_EXPORTERS } from './gpu-exporters';
import { findNpuModel, NPU_MODELS } from './npu-models';
import { isWorkloadPattern, WORKLOAD_PATTERNS } from './patterns';
import type { Scenario, ScenarioTenantFields } from './scenario';
import type { WorkloadPattern } from './types';

/** One NPU card; the same workload patterns as GPUs shape its utilisation, memory and power. */
export interface ScenarioNpu extends ScenarioTenantFields {
  readonly pattern: WorkloadPattern;
}

/**
 * A node's NPUs (scenario key `npuNodes` of a cluster). A name that is also one of the cluster's GPU nodes puts the
 * cards on that node (a mixed node); any other name is an NPU-only node.
 */
export interface ScenarioNpuNode {
  readonly name: string;
  readonly npuModel: string;
  readonly npus: readonly ScenarioNpu[];
}

/**
 * Checks the accelerator keys of a scenario that validateScenario does not know: `gpuExporter` and `npuNodes` per
 * cluster. Reports every problem at once, like validateScenario.
 */
export function validateAcceleratorScenario(scenario: Scenario, source = 'scenario'): void {
  const problems: string[] = [];
  scenario.clusters.forEach((c, ci) => {
    const at = `clusters[${ci}]`;
    if (c.gpuExporter !== undefined && !isSimGpuExporter(c.gpuExporter))
      problems.push(`${at}.gpuExporter: one of ${SIM_GPU_EXPORTERS.join(', ')} is required`);
    if (c.npuExporter !== undefined && c.npuExporter !== 'vendor' && c.npuExporter !== 'all-smi')
      problems.push(`${at}.npuExporter: vendor or all-smi is required`);
    if (c.npuExporter === 'all-smi' && !(c.gpuExporter ?? 'dcgm').startsWith('all-smi'))
      problems.push(`${at}.npuExporter: all-smi needs gpuExporter all-smi or all-smi-v0.20`);
    if (c.npuNodes === undefined) return;
    if (!Array.isArray(c.npuNodes)) return void problems.push(`${at}.npuNodes: a list is required`);
    const names = new Set<string>();
    c.npuNodes.forEach((n: unknown, ni) => checkNpuNode(n, `${at}.npuNodes[${ni}]`, names, problems));
    // No vendor exporter of Google's is simulated: a TPU is only seen through all-smi.
    c.npuNodes.forEach((n: { npuModel?: unknown }, ni) => {
      const model = typeof n?.npuModel === 'string' ? findNpuModel(n.npuModel) : undefined;
      if (model?.vendor === 'google' && c.npuExporter !== 'all-smi')
        problems.push(`${at}.npuNodes[${ni}].npuModel: ${model.name} needs npuExporter: all-smi`);
    });
  });
  if (problems.length > 0)
    throw new FleetModelError('BAD_USER_INPUT', `${source} is invalid:\n  - ${problems.join('\n  - ')}`);
}

function checkNpuNode(raw: unknown, at: string, names: Set<string>, problems: string[]): void {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return void problems.push(`${at}: an object is required`);
  const n = raw as Record<string, unknown>;
  if (typeof n.name !== 'string' || n.name.length === 0)
    problems.push(`${at}.name: a non-empty string is required`);
  else if (names.has(n.name)) problems.push(`${at}.name: duplicate name "${n.name}"`);
  else names.add(n.name);
  if (typeof n.npuModel !== 'string' || !findNpuModel(n.npuModel))
    problems.push(`${at}.npuModel: unknown NPU model (${NPU_MODELS.map((m) => m.name).join(', ')})`);
  if (!Array.isArray(n.npus)) return void problems.push(`${at}.npus: a list is required`);
  n.npus.forEach((d: unknown, i) => {
    const dAt = `${at}.npus[${i}]`;
    if (typeof d !== 'object' || d === null) return void problems.push(`${dAt}: an object is required`);
    const npu = d as Record<string, unknown>;
    if (!isWorkloadPattern(npu.pattern))
      problems.push(`${dAt}.pattern: one of ${WORKLOAD_PATTERNS.join(', ')} is required`);
    for (const key of ['namespace', 'pod', 'container'] as const)
      if (npu[key] !== undefined && (typeof npu[key] !== 'string' || npu[key] === ''))
        problems.push(`${dAt}.${key}: a non-empty string is required`);
    const hasTenant = npu.namespace !== undefined || npu.pod !== undefined || npu.container !== undefined;
    if (npu.pattern === 'unallocated' && hasTenant)
      problems.push(`${dAt}: an unallocated device has no namespace/pod/container`);
  });
}
