import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsUrl, Max, Min } from 'class-validator';
import { HTTP_URL } from './env-parsers';

/** Where the analyzer reports a GPU turning idle or low: the control API and a chat webhook. */
export class AnalyzerWebhooksEnv {
  /** Control API called with the seed's payload when a GPU becomes idle or low. */
  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'ANALYZER_CONTROL_API_URL must be an http(s) URL' })
  ANALYZER_CONTROL_API_URL?: string;

  /** Chat alert webhook (Feishu/Slack style `text` message) for the same events. */
  @IsOptional()
  @IsUrl(HTTP_URL, { message: 'ANALYZER_ALERT_WEBHOOK_URL must be an http(s) URL' })
  ANALYZER_ALERT_WEBHOOK_URL?: string;

  @Type(() => Number)
  @IsInt()
  @Min(100)
  @Max(60_000)
  ANALYZER_WEBHOOK_TIMEOUT_MS = 5000;

  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(10)
  ANALYZER_WEBHOOK_RETRIES = 3;

  /** A GPU triggers a webhook at most once per cooldown. */
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(604_800)
  ANALYZER_WEBHOOK_COOLDOWN_SECONDS = 3600;
}
