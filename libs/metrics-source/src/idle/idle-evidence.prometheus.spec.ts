import { energyReadings, podOwners } from './idle-evidence.prometheus';
import { boardEnergyQuery, podOwnersQuery } from './idle-evidence.queries';

const sample = (labels: Record<string, string>, value: number) => ({ labels, value, timestampMs: 0 });

describe('idle evidence from Prometheus', () => {
  it('reads one energy value per board in joules at its sample time, and drops DCGM blanks', () => {
    const readings = energyReadings('east', [
      sample({ UUID: 'GPU-a' }, 5_000_000),
      sample({ UUID: 'GPU-a', kcloud_part: 'time' }, 1_700_000_000.5),
      sample({ UUID: 'GPU-b' }, 2 ** 63),
      sample({}, 1000),
    ]);
    expect(readings).toEqual([
      { cluster: 'east', uuid: 'GPU-a', energyJoules: 5000, observedAt: new Date(1_700_000_000_500) },
    ]);
  });

  it('reads pod owners, empty for a bare pod', () => {
    const owners = podOwners('east', [
      sample({ namespace: 'ml', pod: 'vllm-0', created_by_kind: 'StatefulSet', created_by_name: 'vllm' }, 1),
      sample({ namespace: 'ml', pod: 'bare' }, 1),
      sample({ pod: 'no-namespace' }, 1),
    ]);
    expect(owners).toEqual([
      { cluster: 'east', namespace: 'ml', pod: 'vllm-0', ownerKind: 'StatefulSet', ownerName: 'vllm' },
      { cluster: 'east', namespace: 'ml', pod: 'bare', ownerKind: '', ownerName: '' },
    ]);
  });

  it('asks for one reading per board and one row per pod owner', () => {
    expect(boardEnergyQuery([])).toBe(
      '(max by (UUID) (DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION)) or (label_replace(max by (UUID) ' +
        '(timestamp(DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION)), "kcloud_part", "time", "kcloud_part", ".*"))',
    );
    expect(podOwnersQuery([])).toBe(
      'max by (namespace, pod, created_by_kind, created_by_name) (kube_pod_info)',
    );
  });
});
