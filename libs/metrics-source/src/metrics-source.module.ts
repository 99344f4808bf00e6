import { Logger, Module, type Provider } from '@nestjs/common';
import { AppConfig } from '@kcloud/common';
import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { ClusterRegistry, PrometheusClientModule } from '@kcloud/prometheus';
import { FACILITY_SOURCE, type FacilitySource } from './facility/facility.port';
import { PrometheusFacility } from './facility/facility.prometheus';
import { SimulatedFacility } from './facility/facility.simulated';
import { FACILITY_RANGE_SOURCE, type FacilityRangeSource } from './facility/facility-range.port';
import { PrometheusFacilityRange } from './facility/facility-range.prometheus';
import { SimulatedFacilityRange } from './facility/facility-range.simulated';
import { GPU_PROCESS_SOURCE, type GpuProcessSource } from './gpu-processes/gpu-process.port';
import { PrometheusGpuProcesses } from './gpu-processes/gpu-process.prometheus';
import { SimulatedGpuProcesses } from './gpu-processes/gpu-process.simulated';
import { GPU_SERIES_SOURCE, type GpuSeriesSource } from './gpu-series/gpu-series.port';
import { PrometheusGpuSeries } from './gpu-series/gpu-series.prometheus';
import { SimulatedGpuSeries } from './gpu-series/gpu-series.simulated';
import { GPU_SNAPSHOT_SOURCE, type GpuSnapshotSource } from './gpu-snapshot/gpu-snapshot.port';
import { PrometheusGpuSnapshot } from './gpu-snapshot/gpu-snapshot.prometheus';
import { SimulatedGpuSnapshot } from './gpu-snapshot/gpu-snapshot.simulated';
import { DcgmTenantShapes } from './gpu-snapshot/tenant-shapes';
import { GPU_WINDOW_SOURCE, type GpuWindowSource } from './gpu-window/gpu-window.port';
import { PrometheusGpuWindow } from './gpu-window/gpu-window.prometheus';
import { SimulatedGpuWindow } from './gpu-window/gpu-window.simulated';
import { IPMI_SOURCE, type IpmiSource } from './ipmi/ipmi.port';
import { PrometheusIpmi } from './ipmi/ipmi.prometheus';
import { SimulatedIpmi } from './ipmi/ipmi.simulated';
import { NPU_SOURCE, type NpuSource } from './npus/npu.port';
import { PrometheusNpus } from './npus/npu.prometheus';
import { SimulatedNpus } from './npus/npu.simulated';
import { NPU_SERIES_SOURCE, type NpuSeriesSource } from './npus/npu-series.port';
import { PrometheusNpuSeries } from './npus/npu-series.prometheus';
import { SimulatedNpuSeries } from './npus/npu-series.simulated';
import { POWER_SOURCE, type PowerSource } from './power/power.port';
import { PrometheusPower } from './power/power.prometheus';
import { SimulatedPower } from './power/power.simulated';
import { DEVICE_QUALITY_SOURCE, type DeviceQualitySource } from './quality/device-quality.port';
import { PrometheusDeviceQuality } from './quality/device-quality.prometheus';
import { SimulatedDeviceQuality } from './quality/device-quality.simulated';
import { GPU_REQUEST_SOURCE, type GpuRequestSource } from './allocation/gpu-requests.port';
import { PrometheusGpuRequests } from './allocation/gpu-requests.prometheus';
import { SimulatedGpuRequests } from './allocation/gpu-requests.simulated';
import {
  HOST_SERIES_SOURCE,
  HOST_SOURCE,
  type HostSeriesSource,
  type HostSource,
  PrometheusHosts,
  PrometheusHostSeries,
  SimulatedHosts,
  SimulatedHostSeries,
} from './host';
import {
  CONTAINER_USAGE_SOURCE,
  type ContainerUsageSource,
  PrometheusContainerUsage,
  SimulatedContainerUsage,
} from './cadvisor';
import {
  PrometheusScoreHistory,
  SCORE_HISTORY_SOURCE,
  type ScoreHistorySource,
  SimulatedScoreHistory,
} from './score-history';
import {
  CLUSTER_LABELS,
  type ClusterLabels,
  RegistryClusterLabels,
  SimulatedClusterLabels,
} from './cluster-labels';
import { IDLE_EVIDENCE_SOURCE, type IdleEvidenceSource } from './idle/idle-evidence.port';
import { PrometheusIdleEvidence } from './idle/idle-evidence.prometheus';
import { SimulatedIdleEvidence } from './idle/idle-evidence.simulated';
import { SOURCE_STATUS, type SourceStatus } from './status/source-status.port';
import { PrometheusSourceStatus } from './status/source-status.prometheus';
import { SimulatedSourceStatus } from './status/source-status.simulated';

/** What a Prometheus adapter is built from. */
interface PrometheusDeps {
  readonly registry: ClusterRegistry;
  readonly config: AppConfig;
  readonly shapes: DcgmTenantShapes;
}

/**
 * One capability's token, provided by the adapter DATA_SOURCE chose (`config.dataSource`): Prometheus when clusters
 * are configured, else the simulated fleet.
 */
function capability<T>(
  token: symbol,
  prometheus: (deps: PrometheusDeps) => T,
  simulated: (model: FleetModel) => T,
): Provider {
  return {
    provide: token,
    inject: [AppConfig, ClusterRegistry, FleetModel, DcgmTenantShapes],
    useFactory: (
      config: AppConfig,
      registry: ClusterRegistry,
      model: FleetModel | null,
      shapes: DcgmTenantShapes,
    ) => (model ? simulated(model) : prometheus({ registry, config, shapes })),
  };
}

const CAPABILITIES: readonly Provider[] = [
  capability<SourceStatus>(
    SOURCE_STATUS,
    (d) => new PrometheusSourceStatus(d.registry, d.config),
    (m) => new SimulatedSourceStatus(m),
  ),
  capability<GpuSnapshotSource>(
    GPU_SNAPSHOT_SOURCE,
    (d) => new PrometheusGpuSnapshot(d.registry, d.config, d.shapes),
    (m) => new SimulatedGpuSnapshot(m),
  ),
  capability<GpuWindowSource>(
    GPU_WINDOW_SOURCE,
    (d) => new PrometheusGpuWindow(d.registry, d.config),
    (m) => new SimulatedGpuWindow(m),
  ),
  capability<GpuSeriesSource>(
    GPU_SERIES_SOURCE,
    (d) => new PrometheusGpuSeries(d.registry, d.config, d.shapes),
    (m) => new SimulatedGpuSeries(m),
  ),
  capability<NpuSource>(
    NPU_SOURCE,
    (d) => new PrometheusNpus(d.registry, d.config),
    (m) => new SimulatedNpus(m),
  ),
  capability<NpuSeriesSource>(
    NPU_SERIES_SOURCE,
    (d) => new PrometheusNpuSeries(d.registry, d.config),
    (m) => new SimulatedNpuSeries(m),
  ),
  capability<GpuProcessSource>(
    GPU_PROCESS_SOURCE,
    (d) => new PrometheusGpuProcesses(d.registry),
    (m) => new SimulatedGpuProcesses(m),
  ),
  capability<PowerSource>(
    POWER_SOURCE,
    (d) => new PrometheusPower(d.registry, d.config),
    (m) => new SimulatedPower(m),
  ),
  capability<IpmiSource>(
    IPMI_SOURCE,
    (d) => new PrometheusIpmi(d.registry, d.config),
    (m) => new SimulatedIpmi(m),
  ),
  capability<FacilitySource>(
    FACILITY_SOURCE,
    (d) => new PrometheusFacility(d.registry, d.config),
    (m) => new SimulatedFacility(m),
  ),
  capability<FacilityRangeSource>(
    FACILITY_RANGE_SOURCE,
    (d) => new PrometheusFacilityRange(d.registry, d.config),
    (m) => new SimulatedFacilityRange(m),
  ),
  capability<DeviceQualitySource>(
    DEVICE_QUALITY_SOURCE,
    (d) =>
      new PrometheusDeviceQuality(d.registry, d.config, {
        frozenSamples: d.config.env.DATA_FROZEN_SAMPLES,
        downLookbackSeconds: d.config.env.DATA_DOWN_LOOKBACK_SECONDS,
      }),
    (m) => new SimulatedDeviceQuality(m),
  ),
  capability<IdleEvidenceSource>(
    IDLE_EVIDENCE_SOURCE,
    (d) => new PrometheusIdleEvidence(d.registry),
    (m) => new SimulatedIdleEvidence(m),
  ),
  capability<GpuRequestSource>(
    GPU_REQUEST_SOURCE,
    (d) => new PrometheusGpuRequests(d.registry),
    (m) => new SimulatedGpuRequests(m),
  ),
  capability<HostSource>(
    HOST_SOURCE,
    (d) => new PrometheusHosts(d.registry, d.config.power.rateWindowSeconds),
    (m) => new SimulatedHosts(m),
  ),
  capability<HostSeriesSource>(
    HOST_SERIES_SOURCE,
    (d) => new PrometheusHostSeries(d.registry, d.config.power.rateWindowSeconds),
    (m) => new SimulatedHostSeries(m),
  ),
  capability<ContainerUsageSource>(
    CONTAINER_USAGE_SOURCE,
    (d) => new PrometheusContainerUsage(d.registry, d.config.power.rateWindowSeconds),
    (m) => new SimulatedContainerUsage(m),
  ),
  capability<ScoreHistorySource>(
    SCORE_HISTORY_SOURCE,
    (d) => new PrometheusScoreHistory(d.registry, d.config.analyzer.historyPrometheus),
    () => new SimulatedScoreHistory(),
  ),
  capability<ClusterLabels>(
    CLUSTER_LABELS,
    (d) => new RegistryClusterLabels(d.registry),
    (m) => new SimulatedClusterLabels(m),
  ),
];

/**
 * Provides one token per capability (status, GPU snapshot / window / series, NPUs, GPU processes, node and workload
 * power, IPMI, facility, device quality, idle evidence, GPU requests, hosts), each from the adapter AppConfig chose at
 * boot: Prometheus when clusters are configured, else the simulated demo fleet (SIM_SCENARIO, or the built-in demo
 * scenario); production never falls back to the simulator unasked (loadConfig refuses). `system { dataSource }`
 * reports the choice.
 */
@Module({
  imports: [PrometheusClientModule],
  providers: [
    {
      provide: FleetModel,
      inject: [AppConfig],
      useFactory: (config: AppConfig): FleetModel | null => {
        if (config.dataSource === 'prometheus') return null;
        const model = config.sim.scenario
          ? FleetModel.fromFile(config.sim.scenario)
          : new FleetModel(defaultScenario());
        const logger = new Logger('MetricsSource');
        const what = `serving the simulated fleet (${model.gpus().length} GPUs)`;
        // Production reaches here only when asked (DATA_SOURCE=simulated or SIM_SCENARIO); say it is not real data.
        if (config.server.nodeEnv === 'production')
          logger.warn(`NODE_ENV=production is ${what}: every number, score and webhook is invented`);
        else logger.log(`no Prometheus configured: ${what}`);
        return model;
      },
    },
    {
      // The tenant-label shape each cluster's dcgm series use, shared by the snapshot and range readers.
      provide: DcgmTenantShapes,
      inject: [ClusterRegistry, AppConfig],
      useFactory: (registry: ClusterRegistry, config: AppConfig) => new DcgmTenantShapes(registry, config),
    },
    ...CAPABILITIES,
  ],
  exports: [
    ...CAPABILITIES.map((p) => (p as { provide: symbol }).provide),
    FleetModel,
    PrometheusClientModule,
  ],
})
export class MetricsSourceModule {}
