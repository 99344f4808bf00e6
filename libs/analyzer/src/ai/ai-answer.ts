import { AI_STATUSES, type AiStatus } from './ai-prompt';

/** A model's answer that passed every check. */
export interface AiVerdict {
  readonly status: AiStatus;
  /** 0–1. */
  readonly confidence: number;
  readonly reason: string;
  readonly recommendation: string;
  /** 0–100. */
  readonly adjustedScore: number;
  /** The model that answered, as the endpoint names it (else the configured one). */
  readonly model: string;
}

export type ParsedAnswer =
  | { readonly ok: true; readonly verdict: AiVerdict }
  | { readonly ok: false; readonly problem: string };

/** Free text shown in the API and on dashboards: bounded, one line. */
const MAX_TEXT = 500;

const fail = (problem: string): ParsedAnswer => ({ ok: false, problem });
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A chat-completions response body → a verdict, or why not. Defensive throughout: the endpoint may be any server and
 * the model may ignore the schema. Prose, invalid JSON, a missing or mistyped field, a value out of range or a refusal
 * is a failure, never a value (no clamping: an adjustedScore of 140 says the model did not follow the question).
 */
export function parseChatAnswer(body: unknown, configuredModel: string): ParsedAnswer {
  if (!isObject(body)) return fail('the response is not a JSON object');
  const choices = body.choices;
  if (!Array.isArray(choices) || choices.length === 0) return fail('the response has no choices');
  const first: unknown = choices[0];
  const message = isObject(first) ? first.message : undefined;
  if (!isObject(message)) return fail('the first choice has no message');
  if (typeof message.refusal === 'string' && message.refusal.trim())
    return fail(`the model refused: ${oneLine(message.refusal)}`);
  const content = textOf(message.content);
  if (content === undefined || !content.trim()) return fail('the message has no text content');
  let answer: unknown;
  try {
    answer = JSON.parse(unfenced(content));
  } catch {
    return fail(`the answer is not JSON: ${oneLine(content).slice(0, 80)}`);
  }
  if (!isObject(answer)) return fail('the answer is not a JSON object');
  const model = typeof body.model === 'string' && body.model.trim() ? oneLine(body.model) : configuredModel;
  return verdictOf(answer, model);
}

function verdictOf(a: Record<string, unknown>, model: string): ParsedAnswer {
  const problems: string[] = [];
  const status = typeof a.status === 'string' ? a.status.trim().toLowerCase() : undefined;
  if (!status || !(AI_STATUSES as readonly string[]).includes(status))
    problems.push(`status must be one of ${AI_STATUSES.join('|')} (got ${JSON.stringify(a.status)})`);
  const confidence = numberIn(a.confidence, 0, 1, 'confidence', problems);
  const adjustedScore = numberIn(a.adjustedScore, 0, 100, 'adjustedScore', problems);
  const reason = textField(a.reason, 'reason', problems);
  const recommendation = textField(a.recommendation, 'recommendation', problems);
  if (problems.length) return fail(problems.join('; '));
  return {
    ok: true,
    verdict: {
      status: status as AiStatus,
      confidence: confidence!,
      reason: reason!,
      recommendation: recommendation!,
      adjustedScore: adjustedScore!,
      model,
    },
  };
}

function numberIn(
  v: unknown,
  min: number,
  max: number,
  name: string,
  problems: string[],
): number | undefined {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    problems.push(`${name} must be a number (got ${JSON.stringify(v) ?? 'nothing'})`);
    return undefined;
  }
  if (v < min || v > max) {
    problems.push(`${name} must be within ${min}–${max} (got ${v})`);
    return undefined;
  }
  return v;
}

function textField(v: unknown, name: string, problems: string[]): string | undefined {
  if (typeof v !== 'string' || !v.trim()) {
    problems.push(`${name} must be a non-empty string`);
    return undefined;
  }
  return oneLine(v).slice(0, MAX_TEXT);
}

/** OpenAI-style content is a string; some servers send an array of `{ type: 'text', text }` parts. */
function textOf(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return undefined;
  const parts = content.map((p: unknown) => (isObject(p) && typeof p.text === 'string' ? p.text : undefined));
  return parts.every((p) => p !== undefined) ? parts.join('') : undefined;
}

/** Local models often wrap JSON in a ```json fence; the whole content must be that one fence, nothing around it. */
function unfenced(text: string): string {
  const m = /^\s*```(?:json)?\s*\n([\s\S]*?)\n?```\s*$/i.exec(text);
  return m?.[1] ?? text;
}

// eslint-disable-next-line no-control-regex
const oneLine = (s: string): string => s.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
