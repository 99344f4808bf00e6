import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric, makeCounterProvider } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { AppConfig, UNRESTRICTED } from '@kcloud/common';
import type { ScoreChange } from '../scoring/changes';
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
  /** The control API acts on a tenant's pod: an unallocated GPU (no pod) is not a tenant's and is not posted there. */
  readonly tenantsOnly: boolean;
}

/**
 * Calls the control API and/or the chat alert webhook for the changes the cycle planned (see planWebhooks: which
 * GPUs, at most once per cooldown, claimed in the persisted analyzer state before anything is posted). Fire and
 * forget: `deliver` returns at once and never fails the cycle; outcomes are counted and logged. An unallocated GPU
 * goes to the chat alert only, as the `unallocated_gpu_underused` event.
 */
@Injectable()
export class WebhookNotifier {
  private readonly logger = new Logger(WebhookNotifier.name);
  private readonly targets: readonly Target[];
  readonly cooldownMs: number;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    config: AppConfig,
    private readonly sender: WebhookSender,
    @InjectMetric(WEBHOOK_DELIVERIES) private readonly deliveries: Counter<string>,
  ) {
    const { controlApiUrl, alertWebhookUrl, cooldownSeconds } = config.analyzer.webhooks;
    this.cooldownMs = cooldownSeconds * 1000;
    this.targets = [
      ...(controlApiUrl
        ? [{ name: 'control' as const, url: controlApiUrl, body: controlApiPayload, tenantsOnly: true }]
        : []),
      ...(alertWebhookUrl
        ? [{ name: 'alert' as const, url: alertWebhookUrl, body: chatAlertPayload, tenantsOnly: false }]
        : []),
    ];
  }

  get enabled(): boolean {
    return this.targets.length > 0;
  }

  deliver(due: readonly ScoreChange[]): void {
    for (const change of due)
      for (const row of rowsInScope([change.record], UNRESTRICTED))
        for (const target of this.targets)
          if (!target.tenantsOnly || row.pod !== undefined) this.track(this.post(target, row));
  }

  /** Resolves when every delivery started so far has finished (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private track(delivery: Promise<void>): void {
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  private async post(target: Target, row: ScoreRow): Promise<void> {
    try {
      await this.sender.post(target.url, target.body(row));
      this.deliveries.inc({ target: target.name, outcome: 'success' });
    } catch (e) {
      this.deliveries.inc({ target: target.name, outcome: 'failure' });
      this.logger.warn(`${target.name} webhook for ${row.key} failed: ${(e as Error).message}`);
    }
  }
}
