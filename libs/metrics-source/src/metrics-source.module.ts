import { Logger, Module } from '@nestjs/common';
import { AppConfig } from '@kcloud/common';
import { defaultScenario, FleetModel } from '@kcloud/fleet-model';
import { ClusterRegistry, PrometheusClientModule } from '@kcloud/prometheus';
import { METRIC_SOURCE, type MetricSource } from './metric-source.port';
import { PrometheusSource } from './prometheus/prometheus.source';
import { SimulatedSource } from './simulated/simulated.source';
import { DEVICE_QUALITY_SOURCE, type DeviceQualitySource } from './quality/device-quality.port';
import { PrometheusDeviceQuality } from './quality/device-quality.prometheus';
import { SimulatedDeviceQuality } from './quality/device-quality.simulated';
import { IDLE_EVIDENCE_SOURCE, type IdleEvidenceSource } from './idle/idle-evidence.port';
import { PrometheusIdleEvidence } from './idle/idle-evidence.prometheus';
import { SimulatedIdleEvidence } from './idle/idle-evidence.simulated';
import { GPU_REQUEST_SOURCE, type GpuRequestSource } from './allocation/gpu-requests.port';
import { PrometheusGpuRequests } from './allocation/gpu-requests.prometheus';
import { SimulatedGpuRequests } from './allocation/gpu-requests.simulated';
import { HOST_SOURCE, type HostSource, PrometheusHosts, SimulatedHosts } from './host';

/**
 * Builds the adapter AppConfig chose at boot (`config.dataSource`): Prometheus when clusters are configured, else the
 * simulated demo fleet (SIM_SCENARIO, or the built-in demo scenario); production never falls back to the simulator
 * unasked (loadConfig refuses). `system { dataSource }` reports the choice.
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
      provide: METRIC_SOURCE,
      inject: [AppConfig, ClusterRegistry, FleetModel],
      useFactory: (config: AppConfig, registry: ClusterRegistry, model: FleetModel | null): MetricSource =>
        model ? new SimulatedSource(model) : new PrometheusSource(registry, config),
    },
    {
      provide: DEVICE_QUALITY_SOURCE,
      inject: [AppConfig, ClusterRegistry, FleetModel],
      useFactory: (config: AppConfig, registry: ClusterRegistry, model: FleetModel | null): DeviceQualitySource =>
        model
          ? new SimulatedDeviceQuality(model)
          : new PrometheusDeviceQuality(registry, config, {
              frozenSamples: config.env.DATA_FROZEN_SAMPLES,
              downLookbackSeconds: config.env.DATA_DOWN_LOOKBACK_SECONDS,
            }),
    },
    {
      provide: IDLE_EVIDENCE_SOURCE,
      inject: [ClusterRegistry, FleetModel],
      useFactory: (registry: ClusterRegistry, model: FleetModel | null): IdleEvidenceSource =>
        model ? new SimulatedIdleEvidence(model) : new PrometheusIdleEvidence(registry),
    },
    {
      provide: GPU_REQUEST_SOURCE,
      inject: [ClusterRegistry, FleetModel],
      useFactory: (registry: ClusterRegistry, model: FleetModel | null): GpuRequestSource =>
        model ? new SimulatedGpuRequests(model) : new PrometheusGpuRequests(registry),
    },
    {
      provide: HOST_SOURCE,
      inject: [AppConfig, ClusterRegistry, FleetModel],
      useFactory: (config: AppConfig, registry: ClusterRegistry, model: FleetModel | null): HostSource =>
        model ? new SimulatedHosts(model) : new PrometheusHosts(registry, config.power.rateWindowSeconds),
    },
  ],
  exports: [
    METRIC_SOURCE,
    DEVICE_QUALITY_SOURCE,
    IDLE_EVIDENCE_SOURCE,
    GPU_REQUEST_SOURCE,
    HOST_SOURCE,
    FleetModel,
    PrometheusClientModule,
  ],
})
export class MetricsSourceModule {}
