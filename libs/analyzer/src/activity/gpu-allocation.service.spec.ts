import type { GpuRequestSource } from '@kcloud/metrics-source';
import type { ScoreStore } from '../cycle/score-store';
import { GpuAllocationService } from './gpu-allocation.service';

/** Records which clusters each read asked for. */
function serviceReading(): { service: GpuAllocationService; asked: (readonly string[] | undefined)[] } {
  const asked: (readonly string[] | undefined)[] = [];
  const requests: GpuRequestSource = {
    podGpuRequests: async (clusters) => {
      asked.push(clusters);
      return { items: [], failures: [] };
    },
  };
  const store = { all: () => [] } as unknown as ScoreStore;
  return { service: new GpuAllocationService(store, requests), asked };
}

describe('GpuAllocationService.unmatched', () => {
  it('reads the clusters the labels selected, within cluster and the scope, and nothing when none remains', async () => {
    const { service, asked } = serviceReading();
    await service.unmatched({}, undefined, ['east', 'west']);
    await service.unmatched({}, 'east', ['east', 'west']);
    await service.unmatched({ clusters: ['west'] }, undefined, ['east', 'west']);
    await service.unmatched({}, undefined, undefined);
    expect(asked).toEqual([['east', 'west'], ['east'], ['west'], undefined]);
    // A label no cluster carries, or a named cluster without it: no read at all.
    expect(await service.unmatched({}, undefined, [])).toEqual({ items: [], failures: [] });
    expect(await service.unmatched({}, 'south', ['east'])).toEqual({ items: [], failures: [] });
    expect(asked).toHaveLength(4);
  });
});
