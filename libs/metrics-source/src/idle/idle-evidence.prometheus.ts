import type { PartialResult } from '@kcloud/common';
import type { ClusterRegistry, InstantSample } from '@kcloud/prometheus';
import { classifyReading } from '../quality/reading-value';
import type { BoardEnergyReading, IdleEvidenceSource, PodOwner } from './idle-evidence.port';
import { boardEnergyQuery, ENERGY_PART_LABEL, podOwnersQuery } from './idle-evidence.queries';

/**
 * Energy counters and pod owners from each cluster's Prometheus, one request each per cluster. Clusters exporting
 * through all-smi or nvidia_gpu_exporter are skipped for energy (their counters are not DCGM's); a blank or
 * impossible counter value is dropped, never read as energy.
 */
export class PrometheusIdleEvidence implements IdleEvidenceSource {
  constructor(private readonly registry: ClusterRegistry) {}

  async boardEnergy(
    clusters: readonly string[] | undefined,
    at: Date,
  ): Promise<PartialResult<BoardEnergyReading>> {
    const { results, failures } = await this.registry.fanOut(clusters, async (client, cluster) => {
      if ((cluster.gpuExporter ?? 'dcgm') !== 'dcgm') return [];
      const samples = await client.instant(boardEnergyQuery(this.registry.scopeMatchers(cluster.name)), {
        time: at,
      });
      return energyReadings(cluster.name, samples);
    });
    return { items: results.flatMap((r) => r.value), failures };
  }

  async podOwners(clusters: readonly string[] | undefined): Promise<PartialResult<PodOwner>> {
    const { results, failures } = await this.registry.fanOut(clusters, async (client, cluster) =>
      podOwners(
        cluster.name,
        await client.instant(podOwnersQuery(this.registry.scopeMatchers(cluster.name))),
      ),
    );
    return { items: results.flatMap((r) => r.value), failures };
  }
}

export function energyReadings(cluster: string, samples: readonly InstantSample[]): BoardEnergyReading[] {
  const times = new Map<string, number>();
  for (const s of samples)
    if (s.labels[ENERGY_PART_LABEL] === 'time' && s.labels.UUID) times.set(s.labels.UUID, s.value * 1000);
  return samples.flatMap((s) => {
    const uuid = s.labels.UUID;
    if (!uuid || s.labels[ENERGY_PART_LABEL] === 'time') return [];
    // DCGM reports mJ; the sentinels are judged on the raw value.
    const verdict = classifyReading('energyJoules', s.value, (mj) => mj / 1000);
    const atMs = times.get(uuid) ?? s.timestampMs;
    return verdict.ok ? [{ cluster, uuid, energyJoules: verdict.value, observedAt: new Date(atMs) }] : [];
  });
}

export function podOwners(cluster: string, samples: readonly InstantSample[]): PodOwner[] {
  return samples.flatMap((s) =>
    s.labels.namespace && s.labels.pod
      ? [
          {
            cluster,
            namespace: s.labels.namespace,
            pod: s.labels.pod,
            ownerKind: s.labels.created_by_kind ?? '',
            ownerName: s.labels.created_by_name ?? '',
          },
        ]
      : [],
  );
}
