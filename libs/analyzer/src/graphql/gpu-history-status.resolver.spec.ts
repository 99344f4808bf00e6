import { GpuScoreStatus } from '../models/gpu-score-status.enum';
import { GpuHistoryStatusResolver, scoreStatusOf } from './gpu-history-status.resolver';

describe('scoreStatusOf', () => {
  it('types every exported status label', () => {
    expect(['idle', 'low', 'normal', 'high', 'unknown', 'unallocated'].map(scoreStatusOf)).toEqual([
      GpuScoreStatus.IDLE,
      GpuScoreStatus.LOW,
      GpuScoreStatus.NORMAL,
      GpuScoreStatus.HIGH,
      GpuScoreStatus.UNKNOWN,
      GpuScoreStatus.UNALLOCATED,
    ]);
  });

  it('is undefined for no label or one it does not know (never a guess)', () => {
    expect(scoreStatusOf(undefined)).toBeUndefined();
    expect(scoreStatusOf('IDLE')).toBeUndefined();
    expect(scoreStatusOf('busy')).toBeUndefined();
  });

  it('is what GpuHistoryPoint.scoreStatus resolves to', () => {
    const r = new GpuHistoryStatusResolver();
    expect(r.scoreStatus({ timestamp: new Date(0), status: 'low' })).toBe(GpuScoreStatus.LOW);
    expect(r.scoreStatus({ timestamp: new Date(0) })).toBeUndefined();
  });
});
