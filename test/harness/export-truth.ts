import type { FleetModel, SimGpu } from '@kcloud/fleet-model';
import { defined } from './indexed';

/** The simulator's GPU an exported row describes, at the row's time (the column named `timeColumn`). */
export function simGpuOfRow(model: FleetModel, row: Record<string, string>, timeColumn: string): SimGpu {
  const uuid = defined(row.gpu_uuid, 'a gpu_uuid cell');
  const time = defined(row[timeColumn], `a ${timeColumn} cell`);
  return defined(
    model.gpuByKey(uuid, row.mig_instance_id || undefined, Date.parse(time)),
    `simulated GPU ${uuid}`,
  );
}

/** The CSV cells of a GPU row that equal the simulator's exactly: identity, scope, memory and utilisation. */
export function exactGpuCells(sim: SimGpu): Record<string, string> {
  return {
    cluster: sim.cluster,
    node: sim.node,
    namespace: sim.namespace ?? '',
    pod: sim.pod ?? '',
    memory_used_mib: String(sim.memoryUsedMiB),
    utilization_percent: sim.utilizationPercent === undefined ? '' : String(sim.utilizationPercent),
  };
}
