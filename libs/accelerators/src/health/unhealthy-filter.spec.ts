import { GpuHealthStatus as H } from './gpu-health';
import { unhealthyStatuses } from './unhealthy-filter';

describe('unhealthyStatuses', () => {
  it('defaults to CRITICAL and WARNING', () => {
    expect(unhealthyStatuses(undefined)).toEqual([H.CRITICAL, H.WARNING]);
    expect(unhealthyStatuses([])).toEqual([H.CRITICAL, H.WARNING]);
  });

  it("keeps the caller's statuses minus HEALTHY (UNKNOWN only when asked)", () => {
    expect(unhealthyStatuses([H.HEALTHY, H.UNKNOWN])).toEqual([H.UNKNOWN]);
    expect(unhealthyStatuses([H.CRITICAL])).toEqual([H.CRITICAL]);
  });

  it('matches nothing when only HEALTHY was asked for', () => {
    expect(unhealthyStatuses([H.HEALTHY])).toBeUndefined();
  });
});
