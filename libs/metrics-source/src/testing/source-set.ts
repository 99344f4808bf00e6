import type { FleetModel } from '@kcloud/fleet-model';
import type { FacilitySource } from '../facility/facility.port';
import { FACILITY_SOURCE } from '../facility/facility.port';
import { SimulatedFacility } from '../facility/facility.simulated';
import { GPU_PROCESS_SOURCE, type GpuProcessSource } from '../gpu-processes/gpu-process.port';
import { SimulatedGpuProcesses } from '../gpu-processes/gpu-process.simulated';
import { GPU_SERIES_SOURCE, type GpuSeriesSource } from '../gpu-series/gpu-series.port';
import { SimulatedGpuSeries } from '../gpu-series/gpu-series.simulated';
import { GPU_SNAPSHOT_SOURCE, type GpuSnapshotSource } from '../gpu-snapshot/gpu-snapshot.port';
import { SimulatedGpuSnapshot } from '../gpu-snapshot/gpu-snapshot.simulated';
import { GPU_WINDOW_SOURCE, type GpuWindowSource } from '../gpu-window/gpu-window.port';
import { SimulatedGpuWindow } from '../gpu-window/gpu-window.simulated';
import { IPMI_SOURCE, type IpmiSource } from '../ipmi/ipmi.port';
import { SimulatedIpmi } from '../ipmi/ipmi.simulated';
import { NPU_SOURCE, type NpuSource } from '../npus/npu.port';
import { SimulatedNpus } from '../npus/npu.simulated';
import { POWER_SOURCE, type PowerSource } from '../power/power.port';
import { SimulatedPower } from '../power/power.simulated';
import { DEVICE_QUALITY_SOURCE, type DeviceQualitySource } from '../quality/device-quality.port';
import { SimulatedDeviceQuality } from '../quality/device-quality.simulated';
import { SOURCE_STATUS, type SourceStatus } from '../status/source-status.port';
import { SimulatedSourceStatus } from '../status/source-status.simulated';

/**
 * Every capability of one data source side by side, for suites that hold both adapters to the same contract
 * (test/contract) or read through the running app's providers. Not a facade: each member is the capability itself.
 */
export interface SourceSet {
  readonly status: SourceStatus;
  readonly gpus: GpuSnapshotSource;
  readonly window: GpuWindowSource;
  readonly series: GpuSeriesSource;
  readonly npus: NpuSource;
  readonly processes: GpuProcessSource;
  readonly power: PowerSource;
  readonly ipmi: IpmiSource;
  readonly facility: FacilitySource;
  readonly quality: DeviceQualitySource;
}

/** The simulated adapters over one model (`now` fixed for deterministic suites). */
export function simulatedSourceSet(model: FleetModel, now: () => number = Date.now): SourceSet {
  return {
    status: new SimulatedSourceStatus(model, now),
    gpus: new SimulatedGpuSnapshot(model, now),
    window: new SimulatedGpuWindow(model, now),
    series: new SimulatedGpuSeries(model),
    npus: new SimulatedNpus(model, now),
    processes: new SimulatedGpuProcesses(model, now),
    power: new SimulatedPower(model, now),
    ipmi: new SimulatedIpmi(model, now),
    facility: new SimulatedFacility(model, now),
    quality: new SimulatedDeviceQuality(model, now),
  };
}

/** The adapters a running app provides (`app.get`), whichever DATA_SOURCE chose. */
export function sourceSetOf(get: <T>(token: symbol) => T): SourceSet {
  return {
    status: get(SOURCE_STATUS),
    gpus: get(GPU_SNAPSHOT_SOURCE),
    window: get(GPU_WINDOW_SOURCE),
    series: get(GPU_SERIES_SOURCE),
    npus: get(NPU_SOURCE),
    processes: get(GPU_PROCESS_SOURCE),
    power: get(POWER_SOURCE),
    ipmi: get(IPMI_SOURCE),
    facility: get(FACILITY_SOURCE),
    quality: get(DEVICE_QUALITY_SOURCE),
  };
}
