import { loadConfig } from '@kcloud/common';

describe('ANALYZER_AI_* settings', () => {
  it('is off by default, with the documented defaults', () => {
    expect(loadConfig({}).analyzer.ai).toEqual({
      enabled: false,
      apiUrl: undefined,
      model: 'gpt-4o-mini',
      apiKey: undefined,
      minConfidence: 0.7,
      nearThresholdPoints: 5,
      concurrency: 2,
      timeoutMs: 20_000,
      maxGpusPerCycle: 20,
      cacheTtlSeconds: 3600,
    });
  });

  it('maps every variable', () => {
    const ai = loadConfig({
      ANALYZER_AI_ENABLED: 'true',
      ANALYZER_AI_API_URL: 'http://vllm.ai.svc:8000/v1',
      ANALYZER_AI_MODEL: 'Qwen/Qwen2.5-7B-Instruct',
      ANALYZER_AI_API_KEY: 'sk-abc',
      ANALYZER_AI_THRESHOLD: '0.5',
      ANALYZER_AI_NEAR_THRESHOLD_POINTS: '2',
      ANALYZER_AI_CONCURRENCY: '4',
      ANALYZER_AI_TIMEOUT_MS: '5000',
      ANALYZER_AI_MAX_GPUS_PER_CYCLE: '50',
      ANALYZER_AI_CACHE_TTL_SECONDS: '600',
    }).analyzer.ai;
    expect(ai).toEqual({
      enabled: true,
      apiUrl: 'http://vllm.ai.svc:8000/v1',
      model: 'Qwen/Qwen2.5-7B-Instruct',
      apiKey: 'sk-abc',
      minConfidence: 0.5,
      nearThresholdPoints: 2,
      concurrency: 4,
      timeoutMs: 5000,
      maxGpusPerCycle: 50,
      cacheTtlSeconds: 600,
    });
  });

  it.each([
    [{ ANALYZER_AI_ENABLED: 'true' }, /ANALYZER_AI_API_URL must be an http\(s\) URL \(required when/],
    [{ ANALYZER_AI_API_URL: 'ftp://models.local/v1' }, /ANALYZER_AI_API_URL must be an http\(s\) URL/],
    [{ ANALYZER_AI_THRESHOLD: '1.5' }, /ANALYZER_AI_THRESHOLD/],
    [{ ANALYZER_AI_CONCURRENCY: '0' }, /ANALYZER_AI_CONCURRENCY/],
    [{ ANALYZER_AI_TIMEOUT_MS: '10' }, /ANALYZER_AI_TIMEOUT_MS/],
    [{ ANALYZER_AI_MODEL: 'gpt 4' }, /ANALYZER_AI_MODEL/],
  ])('refuses %j', (env, problem) => {
    expect(() => loadConfig(env)).toThrow(problem);
  });

  it('never echoes the key in a configuration error', () => {
    let message = '';
    try {
      loadConfig({
        ANALYZER_AI_API_KEY: 'sk-secret-9a8b7c',
        ANALYZER_AI_CONCURRENCY: 'x',
        ANALYZER_AI_ENABLED: 'yes',
      });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/ANALYZER_AI_CONCURRENCY/);
    expect(message).not.toContain('sk-secret-9a8b7c');
  });
});
