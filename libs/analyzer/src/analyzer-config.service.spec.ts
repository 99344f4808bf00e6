import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { DomainError, ErrorCode, loadConfig } from '@kcloud/common';
import { SharedState } from '@kcloud/realtime';
import { AnalyzerConfigService } from './analyzer-config.service';

describe('AnalyzerConfigService', () => {
  it('starts from ANALYZER_* and applies a valid patch, telling listeners', async () => {
    const service = new AnalyzerConfigService(loadConfig({ ANALYZER_INTERVAL_SECONDS: '30' }));
    const seen: number[] = [];
    service.onChange((c) => seen.push(c.intervalSeconds));
    expect(service.current().intervalSeconds).toBe(30);
    const next = await service.update({
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
  ])('rejects %j with BAD_USER_INPUT and changes nothing', async (patch, message) => {
    const service = new AnalyzerConfigService(loadConfig({}));
    const before = service.current();
    let error: unknown;
    try {
      await service.update(patch);
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

  describe('stored in SharedState', () => {
    const weights = { utilization: 0.7, memoryCopy: 0.1, memoryUsed: 0.1, power: 0.1 };
    let dir: string;
    beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'analyzer-config-'))));
    afterEach(() => rm(dir, { recursive: true, force: true }));

    const replica = async (env: Record<string, string>, shared?: SharedState) => {
      const config = loadConfig(env);
      const state = shared ?? new SharedState(config);
      await state.onModuleInit();
      const service = new AnalyzerConfigService(config, state);
      await service.onModuleInit();
      return { service, state };
    };

    it('keeps a change across a restart (STATE_DIR) and logs who changed what, from which version', async () => {
      const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
      const first = await replica({ STATE_DIR: dir });
      await first.service.update({ weights }, 'ops-key');
      first.service.onModuleDestroy();
      expect(log.mock.calls.map((c) => String(c[0]))).toContainEqual(
        expect.stringMatching(
          /changed by 'ops-key', version 0 → 1: weights \{.*"utilization":0.5.*\} → \{.*"utilization":0.7/,
        ),
      );
      log.mockRestore();

      const restarted = await replica({ STATE_DIR: dir, ANALYZER_INTERVAL_SECONDS: '30' });
      expect(restarted.service.current().scoring.weights).toEqual(weights);
      expect(restarted.service.version()).toBe(1);
      restarted.service.onModuleDestroy();
    });

    it('tells every replica of the store, and a stale expectedVersion is refused without writing', async () => {
      const a = await replica({});
      const b = await replica({}, a.state);
      const seen: number[] = [];
      b.service.onChange((c) => seen.push(c.scoring.weights.utilization));
      await a.service.update({ weights }, 'a');
      await b.service.refresh();
      expect(b.service.current().scoring.weights).toEqual(weights);
      expect(seen).toEqual([0.7]);

      await b.service.update({ minDelta: 5 }, 'b', 1);
      await expect(a.service.update({ minDelta: 9 }, 'a', 1)).rejects.toMatchObject({
        code: ErrorCode.BAD_USER_INPUT,
        message: expect.stringMatching(/version 2, not 1/),
      });
      // A patch without expectedVersion lands on the newest version (B's minDelta kept).
      await a.service.update({ intervalSeconds: 7 }, 'a');
      expect(a.service.current()).toMatchObject({ minDelta: 5, intervalSeconds: 7 });
      expect(a.service.version()).toBe(3);
      for (const r of [a, b]) r.service.onModuleDestroy();
    });
  });
});
