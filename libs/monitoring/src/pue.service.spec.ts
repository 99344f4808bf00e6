import type { CacheService } from '@kcloud/cache';
import { type AppConfig, DomainError, ErrorCode, type TenantScope, UNRESTRICTED } from '@kcloud/common';
import type { FacilitySource, PowerSource, SourceStatus } from '@kcloud/metrics-source';
import { PowerService } from './power.service';
import { PueService } from './pue.service';

const passThrough = {
  getOrLoad: <T>(_k: string, _t: string, load: () => Promise<T>) => load(),
} as unknown as CacheService;

function setup() {
  const reads: string[] = [];
  const status = { clusterNames: () => ['east', 'west'] } as unknown as SourceStatus;
  const power = {
    nodePower: async (filter: { clusters: string[] }) => {
      reads.push(...filter.clusters);
      return { items: [], failures: [] };
    },
  } as unknown as PowerSource;
  const facility = { facilitySource: () => undefined } as unknown as FacilitySource;
  const config = { power: {} } as unknown as AppConfig;
  const service = new PueService(
    new PowerService(status, power, passThrough),
    power,
    facility,
    passThrough,
    config,
  );
  return { service, reads };
}

const codeOf = async (p: Promise<unknown>): Promise<string | undefined> =>
  p.then(
    () => undefined,
    (e: unknown) => (e instanceof DomainError ? e.code : String(e)),
  );

describe('PueService', () => {
  it('answers an unknown cluster and a cluster outside the key’s scope alike, with NOT_FOUND and no read', async () => {
    const { service, reads } = setup();
    const eastOnly: TenantScope = { clusters: ['east'] };
    expect(await codeOf(service.pue('north', UNRESTRICTED))).toBe(ErrorCode.NOT_FOUND);
    expect(await codeOf(service.pue('west', eastOnly))).toBe(ErrorCode.NOT_FOUND);
    expect(reads).toEqual([]);
  });

  it('reads the node power of a known cluster in scope', async () => {
    const { service, reads } = setup();
    const { pue } = await service.pue('east', { clusters: ['east'] });
    expect(pue.cluster).toBe('east');
    expect(reads).toEqual(['east']);
  });

  it('refuses a namespace-scoped key before anything else: PUE is cluster-wide', async () => {
    const { service } = setup();
    expect(await codeOf(service.pue('north', { namespaces: ['ml'] }))).toBe(ErrorCode.FORBIDDEN);
  });
});
