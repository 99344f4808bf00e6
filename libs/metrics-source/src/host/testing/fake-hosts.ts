import type { PartialResult } from '@kcloud/common';
import type { HostFilter, HostSample, HostSource } from '../host.port';

/** A HostSource over fixed samples that records every filter it was asked (service specs). */
export class FakeHosts implements HostSource {
  readonly calls: HostFilter[] = [];

  constructor(private readonly result: PartialResult<HostSample>) {}

  nodeHosts(filter: HostFilter): Promise<PartialResult<HostSample>> {
    this.calls.push(filter);
    const keep = (h: HostSample) =>
      (!filter.clusters || filter.clusters.includes(h.cluster)) &&
      (!filter.nodes || filter.nodes.includes(h.node));
    return Promise.resolve({ items: this.result.items.filter(keep), failures: this.result.failures });
  }
}
