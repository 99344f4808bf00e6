import { DEFAULT_THRESHOLDS, DEFAULT_WEIGHTS } from '../scoring/scoring-config';
import { aiEvidence } from './ai-evidence';
import { AI_ANSWER_SCHEMA, chatCompletionsUrl, chatRequest } from './ai-prompt';
import { scoreRecord } from './ai-test-records';

describe('chatRequest', () => {
  const evidence = aiEvidence(
    { record: scoreRecord('gpu-1', 4, 'idle'), why: 'idle' },
    { weights: DEFAULT_WEIGHTS, thresholds: DEFAULT_THRESHOLDS },
    Date.UTC(2026, 0, 1, 12),
  );

  it('sends the model, a system prompt and the evidence as one compact JSON user message', () => {
    const req = chatRequest('qwen2.5:7b', evidence);
    expect(req.model).toBe('qwen2.5:7b');
    expect(req.messages.map((m) => m.role)).toEqual(['system', 'user']);
    expect(req.messages[0]!.content).toMatch(/second opinion/);
    expect(JSON.parse(req.messages[1]!.content)).toEqual(evidence);
    expect(req.messages[1]!.content).not.toMatch(/\n/);
  });

  it('asks for a strict JSON-schema answer with the five fields, statuses on the rule-based scale', () => {
    const req = chatRequest('m', evidence);
    expect(req.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'gpu_utilization_opinion', strict: true, schema: AI_ANSWER_SCHEMA },
    });
    expect(AI_ANSWER_SCHEMA.required).toEqual([
      'status',
      'confidence',
      'reason',
      'recommendation',
      'adjustedScore',
    ]);
    expect(AI_ANSWER_SCHEMA.properties.status.enum).toEqual(['idle', 'low', 'normal', 'high', 'unknown']);
    expect(AI_ANSWER_SCHEMA.additionalProperties).toBe(false);
  });
});

describe('chatCompletionsUrl', () => {
  it.each([
    ['https://api.openai.com/v1', 'https://api.openai.com/v1/chat/completions'],
    ['http://vllm:8000/v1/', 'http://vllm:8000/v1/chat/completions'],
    ['http://ollama:11434/v1', 'http://ollama:11434/v1/chat/completions'],
    ['https://api.openai.com/v1/chat/completions', 'https://api.openai.com/v1/chat/completions'],
  ])('%s → %s', (given, expected) => {
    expect(chatCompletionsUrl(given)).toBe(expected);
  });
});
