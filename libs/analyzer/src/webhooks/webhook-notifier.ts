import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { AppConfig, Clock, UNRESTRICTED } from '@kcloud/common';
import { becameUnderused, type ScoreChange } from '../scoring/changes';
import { rowsInScope, type ScoreRow } from '../scoring/records';
import { chatAlertPayload, controlApiPayload } from './webhook-payload';
import { WebhookSender } from './webhook-sender';

export const WEBHOOK_DELIVERIES = 'gpu_webhook_deliveries_total';
export const webhookMetricProviders = [
  makeCounterProvider({
    name: WEBHOOK_DELIVERIES,
    help: 'Webhook deliveries for GPUs that became idle or low, by target (control, alert) and outcome',
    labelNames: ['target', 'outcome'],
  }),
];

interface Target {
  readonly name: 'control' | 'alert';
  readonly url: string;
  readonly body: (row: ScoreRow) => unknown;
}

/**
 * Calls the control API and/or the chat alert webhook for GPUs that became idle or low, at most once per GPU per
 * cooldown. Fire and forget: `notify` returns at once and never fails the cycle; outcomes are counted and logged.
 */
@Injectable()
export class WebhookNotifier {
  private readonly logger = new Logger(WebhookNotifier.name);
  private readonly targets: readonly Target[];
  private readonly cooldownMs: number;
  private readonly lastSent = new Map<string, number>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    config: AppConfig,
    private readonly sender: WebhookSender,
    private readonly clock: Clock,
    @InjectMetric(WEBHOOK_DELIVERIES) private readonly deliveries: Counter<string>,
  ) {
    const { controlApiUrl, alertWebhookUrl, cooldownSeconds } = config.analyzer.webhooks;
    this.cooldownMs = cooldownSeconds * 1000;
    this.targets = [
      ...(controlApiUrl ? [{ name: 'control' as const, url: controlApiUrl, body: controlApiPayload }] : []),
      ...(alertWebhookUrl ? [{ name: 'alert' as const, url: alertWebhookUrl, body: chatAlertPayload }] : []),
    ];
  }

  notify(changes: readonly ScoreChange[]): void {
    if (!this.targets.length) return;
    const now = this.clock.nowMs();
    for (const [key, last] of this.lastSent) if (now - last >= this.cooldownMs) this.lastSent.delete(key);
    const due = changes.filter(becameUnderused).filter((c) => !this.lastSent.has(c.record.key));
    for (const change of due) {
      this.lastSent.set(change.record.key, now);
      for (const row of rowsInScope([change.record], UNRESTRICTED))
        for (const target of this.targets) this.track(this.deliver(target, row));
    }
  }

  /** Resolves when every delivery started so far has finished (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private track(delivery: Promise<void>): void {
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  private async deliver(target: Target, row: ScoreRow): Promise<void> {
    try {
      await this.sender.post(target.url, target.body(row));
      this.deliveries.inc({ target: target.name, outcome: 'success' });
    } catch (e) {
      this.deliveries.inc({ target: target.name, outcome: 'failure' });
      this.logger.warn(`${target.name} webhook for ${row.key} failed: ${(e as Error).message}`);
    }
  }
}
