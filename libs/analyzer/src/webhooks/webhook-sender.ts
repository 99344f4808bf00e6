import { Injectable } from '@nestjs/common';
import axios, { isAxiosError } from 'axios';
import { bulkhead, ExponentialBackoff, handleWhen, retry, wrap, type IPolicy } from 'cockatiel';
import { AppConfig } from '@kcloud/common';

/** Deliveries waiting beyond this are dropped (and counted as failures) rather than piling up behind a dead endpoint. */
const MAX_QUEUED = 1000;
const MAX_PARALLEL = 4;

/**
 * The outbound HTTP of webhooks, behind one injectable so tests can watch it: a JSON POST with a per-attempt timeout,
 * retried with exponential backoff on network errors, timeouts, 429 and 5xx (a 4xx other than 429 will not improve),
 * at most MAX_PARALLEL at a time.
 */
@Injectable()
export class WebhookSender {
  private readonly policy: IPolicy;
  private readonly timeoutMs: number;

  constructor(config: AppConfig) {
    const { retries, timeoutMs } = config.analyzer.webhooks;
    this.timeoutMs = timeoutMs;
    this.policy = wrap(
      bulkhead(MAX_PARALLEL, MAX_QUEUED),
      retry(handleWhen(isRetryable), {
        maxAttempts: retries,
        backoff: new ExponentialBackoff({ initialDelay: 200, maxDelay: 5_000 }),
      }),
    );
  }

  async post(url: string, body: unknown): Promise<void> {
    await this.policy.execute(() =>
      axios.post(url, body, { timeout: this.timeoutMs, headers: { 'content-type': 'application/json' } }),
    );
  }
}

function isRetryable(error: Error): boolean {
  if (!isAxiosError(error)) return false;
  const status = error.response?.status;
  return status === undefined || status === 429 || status >= 500;
}
