import { Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';
import { AppConfig, UNRESTRICTED } from '@kcloud/common';
import { WEBHOOK_DELIVERIES } from '../webhooks/webhook-notifier';
import { WebhookSender } from '../webhooks/webhook-sender';
import { reclaimAlertPayload } from './reclaim-payload';
import { ReclaimService } from './reclaim.service';

/**
 * Posts a recommendation to the chat alert webhook (ANALYZER_ALERT_WEBHOOK_URL) when a GPU enters a wasted state.
 * Never to the control API: that endpoint acts on pods, and reclaiming is advice only. At most once per idle stretch:
 * only the replica whose ledger commit recorded the new stretch posts (see IdleAccounting). Fire and forget, like
 * the score webhooks; a snoozed recommendation is not posted.
 */
@Injectable()
export class ReclaimNotifier {
  private readonly logger = new Logger(ReclaimNotifier.name);
  private readonly url?: string;
  private readonly pending = new Set<Promise<void>>();

  constructor(
    config: AppConfig,
    private readonly sender: WebhookSender,
    private readonly reclaim: ReclaimService,
    @InjectMetric(WEBHOOK_DELIVERIES) private readonly deliveries: Counter<string>,
  ) {
    this.url = config.analyzer.webhooks.alertWebhookUrl;
  }

  get enabled(): boolean {
    return this.url !== undefined;
  }

  /** `keys`: episode keys (device, and pod on a time-sliced GPU) of the idle stretches that just began. */
  notify(keys: ReadonlySet<string>): void {
    const url = this.url;
    if (!url || keys.size === 0) return;
    const delivery = this.reclaim
      .list({}, UNRESTRICTED)
      .then((recs) =>
        Promise.all(
          recs.filter((r) => keys.has(r.key)).map((r) => this.post(url, r.gpuId, reclaimAlertPayload(r))),
        ),
      )
      .then(() => undefined)
      .catch((e: unknown) => this.logger.warn(`reclaim recommendations not posted: ${(e as Error).message}`));
    this.pending.add(delivery);
    void delivery.finally(() => this.pending.delete(delivery));
  }

  /** Resolves when every delivery started so far has finished (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private async post(url: string, gpuId: string, body: unknown): Promise<void> {
    try {
      await this.sender.post(url, body);
      this.deliveries.inc({ target: 'reclaim', outcome: 'success' });
    } catch (e) {
      this.deliveries.inc({ target: 'reclaim', outcome: 'failure' });
      this.logger.warn(`reclaim alert for ${gpuId} failed: ${(e as Error).message}`);
    }
  }
}
