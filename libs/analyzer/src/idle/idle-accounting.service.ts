import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { AppConfig } from '@kcloud/common';
import { IDLE_EVIDENCE_SOURCE, type IdleEvidenceSource } from '@kcloud/metrics-source';
import type { ScoreRecord } from '../scoring/records';
import { idleDevices } from './idle-devices';
import { ReclaimNotifier } from '../recommendations/reclaim-notifier';
import { boardKey, bucketParts, chargeCycle, newEpisodes } from './idle-ledger';
import { IdleLedgerStore } from './idle-ledger.store';
import { IDLE_ENERGY, IDLE_SECONDS } from './idle.metrics';
import { type IdleSettings, idleSettings } from './idle-settings';

/**
 * Extends the idle ledger after each committed analysis cycle (so only the leader, once per cycle): reads the boards'
 * energy counters (one request per cluster), charges the interval since the last extension to each device's activity
 * state, adds it to its bucket(s), then commits the head with compare-and-set and counts the increments on /metrics;
 * the replica whose commit recorded a new idle stretch posts its recommendation to the alert webhook.
 * A failure here never fails the cycle: the next one charges the longer interval (up to the gap limit).
 */
@Injectable()
export class IdleAccounting {
  private readonly logger = new Logger(IdleAccounting.name);
  readonly settings: IdleSettings;

  constructor(
    config: AppConfig,
    private readonly store: IdleLedgerStore,
    @Inject(IDLE_EVIDENCE_SOURCE) private readonly evidence: IdleEvidenceSource,
    @InjectMetric(IDLE_SECONDS) private readonly idleSeconds: Counter<string>,
    @InjectMetric(IDLE_ENERGY) private readonly idleEnergy: Counter<string>,
    private readonly notifier: ReclaimNotifier,
  ) {
    this.settings = idleSettings(config);
  }

  async afterCycle(at: Date, records: readonly ScoreRecord[]): Promise<void> {
    try {
      await this.account(at, records);
    } catch (e) {
      this.logger.warn(`idle accounting skipped this cycle: ${(e as Error).message}`);
    }
  }

  private async account(at: Date, records: readonly ScoreRecord[]): Promise<void> {
    const { version, head } = await this.store.head();
    const { items, failures } = await this.evidence
      .boardEnergy(undefined, at)
      .catch((e: unknown) => ({ items: [], failures: [{ cluster: '*', message: (e as Error).message }] }));
    // Time is still charged when a cluster's counters do not answer; its boards charge no energy this once.
    for (const f of failures)
      this.logger.warn(`energy counters of '${f.cluster}' unavailable (${f.message})`);
    const energy = new Map(
      items.map((r) => [
        boardKey(r.cluster, r.uuid),
        { joules: r.energyJoules, atMs: r.observedAt.getTime() },
      ]),
    );
    const result = chargeCycle(head, at.getTime(), idleDevices(records), energy, this.settings.maxGapMs);
    if (result.fromMs !== undefined)
      for (const part of bucketParts(result.charges, result.fromMs, result.toMs, this.settings.bucketMs))
        await this.store.addPart(part);
    if (!(await this.store.commitHead(version, result.head))) {
      this.logger.warn('idle ledger extended by another replica meanwhile; this cycle adds nothing more');
      return;
    }
    this.notifier.notify(newEpisodes(head, result.head, at.getTime(), this.settings.maxGapMs));
    for (const c of result.charges) {
      const labels = { cluster: c.device.cluster, namespace: c.device.namespace ?? '' };
      if (c.idleGpuSeconds > 0) this.idleSeconds.inc(labels, c.idleGpuSeconds);
      if (c.idleEnergyJoules > 0) this.idleEnergy.inc(labels, c.idleEnergyJoules);
    }
  }
}
