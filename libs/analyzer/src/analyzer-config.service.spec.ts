import { DomainError, ErrorCode, loadConfig } from '@kcloud/common';
import { AnalyzerConfigService } from './analyzer-config.service';

describe('AnalyzerConfigService', () => {
  it('starts from ANALYZER_* and applies a valid patch, telling listeners', () => {
    const service = new AnalyzerConfigService(loadConfig({ ANALYZER_INTERVAL_SECONDS: '30' }));
    const seen: number[] = [];
    service.onChange((c) => seen.push(c.intervalSeconds));
    expect(service.current().intervalSeconds).toBe(30);
    const next = service.update({
      intervalSeconds: 5,
      weights: { utilization: 0.7, memoryCopy: 0.1, memoryUsed: 0.1, power: 0.1 },
    });
    expect(next.scoring.weights.utilization).toBe(0.7);
    expect(seen).toEqual([5]);
  });

  it.each([
    [{ weights: { utilization: 0.5, memoryCopy: 0.5, memoryUsed: 0.5, power: 0 } }, /weights must sum to 1/],
    [{ thresholds: { idle: 30, low: 20, high: 70 } }, /thresholds must increase/],
    [{ windowSeconds: 4 }, /windowSeconds must be an integer between 5 and 86400/],
    [{ intervalSeconds: 1.5 }, /intervalSeconds must be an integer/],
    [{ minDelta: 0 }, /minDelta must be a number between 1 and 100/],
  ])('rejects %j with BAD_USER_INPUT and changes nothing', (patch, message) => {
    const service = new AnalyzerConfigService(loadConfig({}));
    const before = service.current();
    let error: unknown;
    try {
      service.update(patch);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe(ErrorCode.BAD_USER_INPUT);
    expect((error as DomainError).message).toMatch(message);
    expect(service.current()).toBe(before);
  });

  it('refuses boot weights that do not sum to 1 and thresholds that do not increase, naming the variables', () => {
    expect(() => loadConfig({ ANALYZER_WEIGHT_POWER: '0.3' })).toThrow(
      /ANALYZER_WEIGHT_POWER: .*must sum to 1/,
    );
    expect(() => loadConfig({ ANALYZER_THRESHOLD_LOW: '80' })).toThrow(
      /ANALYZER_THRESHOLD_HIGH: .*must hold/,
    );
    expect(() => loadConfig({ ANALYZER_WINDOW_SECONDS: '4' })).toThrow(/ANALYZER_WINDOW_SECONDS/);
  });
});
