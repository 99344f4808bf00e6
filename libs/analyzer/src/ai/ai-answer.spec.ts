import { parseChatAnswer } from './ai-answer';

const VALID = {
  status: 'idle',
  confidence: 0.9,
  reason: 'Memory held for hours with no compute.',
  recommendation: 'Ask the owner to stop the notebook.',
  adjustedScore: 4,
};

/** A chat-completions response whose message content is `content`. */
const reply = (content: unknown, extra: Record<string, unknown> = {}) => ({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  model: 'gpt-4o-mini-2024-07-18',
  choices: [{ index: 0, message: { role: 'assistant', content, ...extra }, finish_reason: 'stop' }],
});

describe('parseChatAnswer', () => {
  it('accepts a valid answer and names the model the endpoint reports', () => {
    expect(parseChatAnswer(reply(JSON.stringify(VALID)), 'configured')).toEqual({
      ok: true,
      verdict: { ...VALID, model: 'gpt-4o-mini-2024-07-18' },
    });
  });

  it('falls back to the configured model name, and accepts content parts and a ```json fence', () => {
    const body = {
      choices: [
        { message: { content: [{ type: 'text', text: '```json\n' + JSON.stringify(VALID) + '\n```' }] } },
      ],
    };
    const parsed = parseChatAnswer(body, 'llama3.1');
    expect(parsed).toEqual({ ok: true, verdict: { ...VALID, model: 'llama3.1' } });
  });

  it('normalises the status case and keeps free text to one bounded line', () => {
    const parsed = parseChatAnswer(
      reply(
        JSON.stringify({ ...VALID, status: 'IDLE', reason: 'a\nb\u0007c', recommendation: 'x'.repeat(900) }),
      ),
      'm',
    );
    expect(parsed.ok && parsed.verdict).toMatchObject({ status: 'idle', reason: 'a b c' });
    expect(parsed.ok && parsed.verdict.recommendation).toHaveLength(500);
  });

  it.each<[string, unknown, RegExp]>([
    ['prose', reply('The GPU looks idle to me, confidence high.'), /not JSON/],
    ['invalid JSON', reply('{"status": "idle", "confidence": 0.9,'), /not JSON/],
    ['prose around a fence', reply('Sure! ```json\n' + JSON.stringify(VALID) + '\n```'), /not JSON/],
    ['a JSON array', reply('[1,2]'), /not a JSON object/],
    [
      'a status outside the scale',
      reply(JSON.stringify({ ...VALID, status: 'suspicious' })),
      /status must be one of/,
    ],
    [
      'confidence above 1',
      reply(JSON.stringify({ ...VALID, confidence: 1.5 })),
      /confidence must be within 0–1/,
    ],
    [
      'a negative confidence',
      reply(JSON.stringify({ ...VALID, confidence: -0.1 })),
      /confidence must be within/,
    ],
    [
      'adjustedScore above 100',
      reply(JSON.stringify({ ...VALID, adjustedScore: 140 })),
      /adjustedScore must be within 0–100/,
    ],
    [
      'a number as a string',
      reply(JSON.stringify({ ...VALID, adjustedScore: '40' })),
      /adjustedScore must be a number/,
    ],
    [
      'a missing reason',
      reply(JSON.stringify({ ...VALID, reason: undefined })),
      /reason must be a non-empty string/,
    ],
    [
      'an empty recommendation',
      reply(JSON.stringify({ ...VALID, recommendation: ' ' })),
      /recommendation must be/,
    ],
    [
      'a missing confidence',
      reply(JSON.stringify({ ...VALID, confidence: undefined })),
      /confidence must be a number \(got nothing\)/,
    ],
    ['a refusal', reply(null, { refusal: 'I cannot help with that.' }), /refused/],
    ['empty content', reply(''), /no text content/],
    ['no choices', { choices: [] }, /no choices/],
    ['an error body', { error: { message: 'model not found' } }, /no choices/],
    ['not an object', 'OK', /not a JSON object/],
  ])('refuses %s', (_name, body, problem) => {
    const parsed = parseChatAnswer(body, 'm');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.problem).toMatch(problem);
  });

  it('lists every problem of an answer at once', () => {
    const parsed = parseChatAnswer(reply(JSON.stringify({ status: 'busy', confidence: 2 })), 'm');
    expect(!parsed.ok && parsed.problem.split('; ')).toHaveLength(5);
  });
});
