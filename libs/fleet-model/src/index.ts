// Public face of the fleet model (alias `@kcloud/fleet-model`): the simulated adapters in @kcloud/metrics-source,
// the exposition renderers, the HTTP server and the e2e tests use only what is exported here.
export type {
  SimContainerRequest,
  SimGpu,
  SimNode,
  SimPod,
  SimResourceCount,
  SimTenant,
  WorkloadPattern,
} from './types';
export { FleetModel, gpuKeyOf } from './fleet-model';
export { FleetModelError } from './errors';
export type { FleetModelErrorCode } from './errors';
export { defaultScenario } from './default-scenario';
export { DEFAULT_MIX, generateScenario } from './generate';
export type { GenerateScenarioOptions } from './generate';
export { loadScenarioFile, parseScenario, validateScenario } from './scenario';
export type {
  PatternMix,
  Scenario,
  ScenarioCluster,
  ScenarioGenerator,
  ScenarioGpu,
  ScenarioMigInstance,
  ScenarioNode,
  ScenarioTenantFields,
} from './scenario';
export { isAllocatedPattern, isWorkloadPattern, WORKLOAD_PATTERNS } from './patterns';
export { type ActivityTruth, type TruthState, truthOf } from './activity-truth';
export {
  DEFAULT_DRIVER_VERSION,
  DEFAULT_GPU_MODEL,
  findGpuModel,
  findMigProfile,
  GPU_MODELS,
  GPU_RESOURCE,
  MIG_PROFILES,
  migResourceName,
} from './gpu-models';
export type { GpuModelSpec, MigProfileSpec } from './gpu-models';
export { DEFAULT_TICK_SECONDS } from './build';
export { ENERGY_EPOCH_MS } from './energy';
export { WINDOW_FIELDS, windowAverages } from './window';
export type { SimGpuWindow, WindowField } from './window';
export { DEFAULT_FACILITY_PUE, FleetPower, fleetPower } from './fleet-power';
export type { FleetPowerOptions, SimNodeEnergy, SimPodEnergy } from './fleet-power';
export { CORE_SHARE } from './node-power';
export type { SimNodePower, SimPodPower } from './node-power';
export type { SimIpmiSensor, SimSensorState, SimSensorType } from './ipmi-sensors';
export { reportedGpus } from './gpu-exporters';
export type { ReportedGpu, SimGpuExporter } from './gpu-exporters';
export type { SimGpuProcess } from './gpu-processes';
export type { SimNpu } from './npu';
export { findNpuModel } from './npu-models';
export type { NpuModelSpec, NpuVendor } from './npu-models';
export type { ScenarioNpu, ScenarioNpuNode } from './npu-scenario';
export { BLANK_FORMS, BlankReadings, blankText } from './blank-readings';
export type { BlankForm, BlankRule, BlankTarget } from './blank-readings';
export { FrozenDevices } from './frozen-devices';
export { CLOCK_EVENT_BITS, clockEventMask, GpuFaults, HEALTHY, type SimGpuHealth } from './gpu-faults';
export {
  HOST_BOOT_MS,
  HOST_CPU_CORES,
  HOST_CPU_MODES,
  HOST_MEMORY_TOTAL_BYTES,
  HOST_PHYSICAL_NET_DEVICES,
  HOST_ROOT_FS_SIZE_BYTES,
  simHost,
  type HostCpuMode,
  type SimCpuCore,
  type SimFilesystem,
  type SimHost,
  type SimNetDevice,
} from './host';
export { simContainerUsage, type SimContainerUsage } from './cadvisor';
