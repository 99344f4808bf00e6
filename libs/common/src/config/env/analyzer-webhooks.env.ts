import { HttpUrlEnv, IntEnv } from './env-decorators';

/** Where the analyzer reports a GPU turning idle or low: the control API and a chat webhook. */
export class AnalyzerWebhooksEnv {
  /** Control API called with the seed's payload when a GPU becomes idle or low. */
  @HttpUrlEnv() ANALYZER_CONTROL_API_URL?: string;

  /** Chat alert webhook (Feishu/Slack style `text` message) for the same events. */
  @HttpUrlEnv() ANALYZER_ALERT_WEBHOOK_URL?: string;

  @IntEnv({ min: 100, max: 60_000 }) ANALYZER_WEBHOOK_TIMEOUT_MS = 5000;

  @IntEnv({ min: 0, max: 10 }) ANALYZER_WEBHOOK_RETRIES = 3;

  /** A GPU triggers a webhook at most once per cooldown. */
  @IntEnv({ min: 0, max: 604_800 }) ANALYZER_WEBHOOK_COOLDOWN_SECONDS = 3600;
}
