import { Inject, Injectable, Logger } from '@nestjs/common';
import { CacheService } from '@kcloud/cache';
import { AppConfig, badInput, Clock, notFound, type Principal, type TenantScope } from '@kcloud/common';
import { IDLE_EVIDENCE_SOURCE, type IdleEvidenceSource, type PodOwner } from '@kcloud/metrics-source';
import { isWasted } from '../activity/activity-state';
import { ScoreStore } from '../cycle/score-store';
import { idleDevices } from '../idle/idle-devices';
import { episodeKey } from '../idle/idle-ledger';
import { IdleLedgerStore } from '../idle/idle-ledger.store';
import { type IdleSettings, idleSettings } from '../idle/idle-settings';
import { AcknowledgementStore } from './acknowledgement.store';
import {
  type ReclaimCandidate,
  type ReclaimFilter,
  reclaimRecommendations,
  type Recommendation,
} from './reclaim';

/** Longest snooze: a month. */
export const MAX_ACK_HOURS = 720;
export const MAX_NOTE_LENGTH = 500;

/**
 * Reclaim recommendations from the latest results (the activity states), the ledger's idle stretches and the pods'
 * owners; acknowledgements in SharedState. Advice only: nothing here (nor the webhook) changes a workload.
 */
@Injectable()
export class ReclaimService {
  private readonly logger = new Logger(ReclaimService.name);
  private readonly settings: IdleSettings;

  constructor(
    config: AppConfig,
    private readonly scores: ScoreStore,
    private readonly ledger: IdleLedgerStore,
    private readonly acks: AcknowledgementStore,
    private readonly clock: Clock,
    @Inject(IDLE_EVIDENCE_SOURCE) private readonly evidence: IdleEvidenceSource,
    private readonly cache: CacheService,
  ) {
    this.settings = idleSettings(config);
  }

  async list(filter: ReclaimFilter, scope: TenantScope): Promise<Recommendation[]> {
    const [candidates, acks] = await Promise.all([this.candidates(), this.acks.all()]);
    return reclaimRecommendations(candidates, acks, this.clock.nowMs(), this.settings.prices, scope, filter);
  }

  /**
   * Snoozes the recommendations of `gpuId` the caller may see (one per pod on a time-sliced GPU). A GPU outside the
   * caller's scope answers exactly as one without a recommendation: NOT_FOUND, so its existence does not leak.
   */
  async acknowledge(
    gpuId: string,
    hours: number,
    note: string | undefined,
    who: Pick<Principal, 'name' | 'scope'>,
  ): Promise<Recommendation[]> {
    if (!Number.isFinite(hours) || hours <= 0 || hours > MAX_ACK_HOURS)
      throw badInput('hours', `hours must be > 0 and at most ${MAX_ACK_HOURS}`);
    if (note !== undefined && note.length > MAX_NOTE_LENGTH)
      throw badInput('note', `note is longer than ${MAX_NOTE_LENGTH} characters`);
    const mine = (await this.list({ includeAcknowledged: true }, who.scope)).filter((r) => r.gpuId === gpuId);
    if (mine.length === 0) throw notFound('reclaim recommendation for GPU', gpuId);
    const nowMs = this.clock.nowMs();
    const untilMs = nowMs + hours * 3_600_000;
    await this.acks.put(
      mine.map((r) => r.key),
      { untilMs, note, by: who.name, atMs: nowMs },
      nowMs,
    );
    this.logger.log(`${who.name} acknowledged the reclaim recommendation of ${gpuId} for ${hours} h`);
    return mine.map((r) => ({ ...r, acknowledgedUntil: new Date(untilMs), acknowledgementNote: note }));
  }

  private async candidates(): Promise<ReclaimCandidate[]> {
    const records = this.scores.all();
    const devices = idleDevices(records).filter((d) => isWasted(d.state) && d.pod);
    if (devices.length === 0) return [];
    const byKey = new Map(records.map((r) => [r.key, r]));
    const [{ head }, owners] = await Promise.all([
      this.ledger.head(),
      this.owners([...new Set(devices.map((d) => d.cluster))]),
    ]);
    return devices.map((device) => {
      const r = byKey.get(device.key);
      const owner = owners.get(`${device.cluster}\u0000${device.namespace}\u0000${device.pod}`);
      return {
        device,
        episode: head.episodes[episodeKey(device)],
        facts: {
          ownerKind: owner?.ownerKind || undefined,
          ownerName: owner?.ownerName || undefined,
          container: r?.tenants.find((t) => t.pod === device.pod)?.container,
          migProfile: r?.migProfile,
          memoryUsedMiB: r?.memoryUsedMiB,
          memoryUsedPercent: r?.inputs.memoryUsedPercent,
        },
      };
    });
  }

  /** Owners are a nicety: a cluster whose kube-state-metrics does not answer gets actions without them. */
  private async owners(clusters: readonly string[]): Promise<ReadonlyMap<string, PodOwner>> {
    try {
      // Controllers change rarely: one kube-state-metrics read per cluster set and summary TTL, not one per request.
      const { items, failures } = await this.cache.getOrLoad(
        `reclaim:owners:${JSON.stringify(clusters)}`,
        'summary',
        () => this.evidence.podOwners(clusters),
      );
      for (const f of failures) this.logger.warn(`pod owners of '${f.cluster}' unavailable (${f.message})`);
      return new Map(items.map((o) => [`${o.cluster}\u0000${o.namespace}\u0000${o.pod}`, o]));
    } catch (e) {
      this.logger.warn(`pod owners unavailable (${(e as Error).message})`);
      return new Map();
    }
  }
}
