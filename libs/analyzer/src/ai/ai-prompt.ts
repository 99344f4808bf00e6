import type { AiEvidence } from './ai-evidence';

/** The statuses the model may answer: the rule-based ones, so the two opinions are on one scale. */
export const AI_STATUSES = ['idle', 'low', 'normal', 'high', 'unknown'] as const;
export type AiStatus = (typeof AI_STATUSES)[number];

/** The answer's JSON schema (OpenAI structured outputs; vLLM and Ollama accept the same `response_format`). */
export const AI_ANSWER_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'confidence', 'reason', 'recommendation', 'adjustedScore'],
  properties: {
    status: { type: 'string', enum: [...AI_STATUSES] },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
    reason: { type: 'string' },
    recommendation: { type: 'string' },
    adjustedScore: { type: 'number', minimum: 0, maximum: 100 },
  },
} as const;

export const AI_SCHEMA_NAME = 'gpu_utilization_opinion';

const SYSTEM_PROMPT = [
  'You review GPU utilisation in a Kubernetes cluster where GPUs are lent to tenants.',
  'A rule-based analyzer scored one GPU over a time window: score = weighted window averages (weights given),',
  'status idle < thresholds.idle <= low < thresholds.low <= normal < thresholds.high <= high.',
  'Give a second opinion: is the GPU really used, or held without doing work (e.g. a notebook holding memory)?',
  'Answer only with JSON matching the schema: status (idle|low|normal|high, unknown when the evidence is not',
  'enough), confidence 0-1, a one-sentence reason, a one-sentence recommendation for the platform team, and',
  'adjustedScore 0-100 (your utilisation score). Do not invent pods or namespaces that are not in the evidence.',
].join(' ');

/** The subset of the chat-completions request this client sends. */
export interface ChatCompletionRequest {
  readonly model: string;
  readonly messages: readonly { readonly role: 'system' | 'user'; readonly content: string }[];
  readonly response_format: {
    readonly type: 'json_schema';
    readonly json_schema: {
      readonly name: string;
      readonly strict: true;
      readonly schema: typeof AI_ANSWER_SCHEMA;
    };
  };
}

/**
 * One GPU's question. No temperature or token limit: reasoning models refuse those parameters, and the schema
 * already bounds the answer's shape.
 */
export function chatRequest(model: string, evidence: AiEvidence): ChatCompletionRequest {
  return {
    model,
    messages: [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: JSON.stringify(evidence) },
    ],
    response_format: {
      type: 'json_schema',
      json_schema: { name: AI_SCHEMA_NAME, strict: true, schema: AI_ANSWER_SCHEMA },
    },
  };
}

/** `…/v1` → `…/v1/chat/completions`; a URL that already names the endpoint (the seed's form) is used as given. */
export function chatCompletionsUrl(apiUrl: string): string {
  const trimmed = apiUrl.replace(/\/+$/, '');
  return /\/chat\/completions$/.test(trimmed) ? trimmed : `${trimmed}/chat/completions`;
}
