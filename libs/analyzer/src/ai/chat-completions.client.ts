import { setMaxListeners } from 'node:events';
import { Injectable } from '@nestjs/common';
import axios, { isAxiosError } from 'axios';
import {
  bulkhead,
  BulkheadRejectedError,
  type IPolicy,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import { AppConfig } from '@kcloud/common';
import { chatCompletionsUrl, type ChatCompletionRequest } from './ai-prompt';

/** An answer of a few hundred bytes is expected; a server streaming megabytes is cut off. */
const MAX_RESPONSE_BYTES = 1_000_000;
/** Requests waiting for a slot; a pass never queues more than its cap, so this only guards against a bug. */
const MAX_QUEUED = 10_000;

/** How a request ended when it did not bring a body; the `outcome` label of kcloud_analyzer_ai_requests_total. */
export type ChatFailureKind = 'timeout' | 'http_error' | 'network_error' | 'invalid_answer' | 'rejected';

export class ChatCompletionError extends Error {
  constructor(
    readonly kind: ChatFailureKind,
    message: string,
  ) {
    super(message);
    this.name = 'ChatCompletionError';
  }
}

/**
 * The outbound HTTP of the AI second opinion, behind one injectable so tests replace it: POST {url}/chat/completions
 * with the key as a bearer token, at most ANALYZER_AI_CONCURRENCY at a time, each abandoned after
 * ANALYZER_AI_TIMEOUT_MS (cockatiel's aggressive timeout aborts the socket, whatever the server does). No retry: the
 * next cycle asks again, within its cap. Errors never carry the key (only axios' message, which has no headers).
 */
@Injectable()
export class ChatCompletionsClient {
  private readonly policy: IPolicy;
  private readonly url?: string;
  private readonly headers: Readonly<Record<string, string>>;
  /** Aborted at shutdown: requests in flight end at once instead of at their timeout. */
  private readonly closing = new AbortController();

  constructor(config: AppConfig) {
    const { apiUrl, apiKey, concurrency, timeoutMs } = config.analyzer.ai;
    this.url = apiUrl && chatCompletionsUrl(apiUrl);
    this.headers = {
      'content-type': 'application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    };
    this.policy = wrap(bulkhead(concurrency, MAX_QUEUED), timeout(timeoutMs, TimeoutStrategy.Aggressive));
    // Every request in flight listens to it (up to the concurrency, plus the queue): not a leak.
    setMaxListeners(0, this.closing.signal);
  }

  /** Ends the requests in flight and refuses new ones (shutdown). */
  close(): void {
    this.closing.abort();
  }

  get configured(): boolean {
    return this.url !== undefined;
  }

  /** The parsed response body; throws ChatCompletionError. */
  async complete(request: ChatCompletionRequest): Promise<unknown> {
    const url = this.url;
    if (!url) throw new ChatCompletionError('rejected', 'ANALYZER_AI_API_URL is not set');
    let text: string;
    try {
      text = await this.policy.execute(async ({ signal }) => {
        const res = await axios.post<string>(url, request, {
          headers: this.headers,
          signal,
          responseType: 'text',
          maxContentLength: MAX_RESPONSE_BYTES,
          // Redirects could carry the bearer token to another host.
          maxRedirects: 0,
        });
        return res.data;
      }, this.closing.signal);
    } catch (e) {
      throw this.closing.signal.aborted
        ? new ChatCompletionError('rejected', 'the analyzer is shutting down')
        : classify(e);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ChatCompletionError('invalid_answer', 'the response body is not JSON');
    }
  }
}

function classify(e: unknown): ChatCompletionError {
  if (e instanceof TaskCancelledError)
    return new ChatCompletionError('timeout', 'no answer within the timeout');
  if (e instanceof BulkheadRejectedError)
    return new ChatCompletionError('rejected', 'too many requests queued');
  if (isAxiosError(e)) {
    if (e.code === 'ERR_CANCELED') return new ChatCompletionError('timeout', 'no answer within the timeout');
    if (e.response) return new ChatCompletionError('http_error', `HTTP ${e.response.status}`);
    return new ChatCompletionError('network_error', e.code ?? e.message);
  }
  return new ChatCompletionError('network_error', e instanceof Error ? e.message : String(e));
}
