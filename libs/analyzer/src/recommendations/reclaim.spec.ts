import { GpuActivityState } from '../activity/activity-state';
import type { IdleDevice } from '../idle/idle-ledger';
import { chooseAction, ReclaimAction, scaleTarget, smallerMigProfile } from './reclaim-action';
import { reclaimRecommendations, type ReclaimCandidate } from './reclaim';
import { reclaimAlertPayload } from './reclaim-payload';
import { UNRESTRICTED } from '@kcloud/common';

const NOW = Date.UTC(2026, 0, 1, 12);
const H = 3_600_000;
const prices = { perGpuHourByModel: { default: 2 }, perKWh: 0, currency: 'USD' };
const candidate = (over: Partial<IdleDevice>, facts: ReclaimCandidate['facts'] = {}): ReclaimCandidate => ({
  device: {
    key: 'GPU-a',
    cluster: 'east',
    node: 'n1',
    uuid: 'GPU-a',
    model: 'NVIDIA H100 80GB HBM3',
    namespace: 'research',
    pod: 'jupyter-alice-0',
    state: GpuActivityState.IDLE_HELD,
    since: new Date(NOW - 2 * H),
    gpuFraction: 1,
    ...over,
  },
  facts,
});

describe('reclaim actions', () => {
  it('stops a notebook, scales a controller to zero, releases a bare pod', () => {
    const base = { state: GpuActivityState.IDLE_HELD, model: 'NVIDIA L40S', activityPercent: 0 };
    expect(
      chooseAction({ ...base, pod: 'jupyter-alice-0', ownerKind: 'StatefulSet', ownerName: 'jupyter-alice' })
        .action,
    ).toBe(ReclaimAction.STOP_NOTEBOOK);
    expect(
      chooseAction({
        ...base,
        pod: 'vllm-7f8d9c6b5d-x2klq',
        ownerKind: 'ReplicaSet',
        ownerName: 'vllm-7f8d9c6b5d',
      }).action,
    ).toBe(ReclaimAction.SCALE_TO_ZERO);
    expect(chooseAction({ ...base, pod: 'resnet-h7x2c', ownerKind: 'Job', ownerName: 'resnet' }).action).toBe(
      ReclaimAction.RELEASE_GPU,
    );
  });

  it('scales the Deployment behind a pod-template-hash ReplicaSet, anything else itself', () => {
    expect(scaleTarget('ReplicaSet', 'vllm-chat-7f8d9c6b5d')).toBe('Deployment/vllm-chat');
    expect(scaleTarget('ReplicaSet', 'plain')).toBe('ReplicaSet/plain');
    expect(scaleTarget('StatefulSet', 'triton')).toBe('StatefulSet/triton');
  });

  it('moves a pod that holds little memory and computes a little to a smaller MIG profile', () => {
    const i = {
      state: GpuActivityState.IDLE_HELD,
      model: 'NVIDIA A100-SXM4-80GB',
      pod: 'embed-0',
      ownerKind: 'StatefulSet',
      activityPercent: 2,
      memoryUsedMiB: 6000,
      memoryUsedPercent: (6000 / 81920) * 100,
    };
    expect(chooseAction(i)).toMatchObject({
      action: ReclaimAction.MOVE_TO_SMALLER_MIG_PROFILE,
      reason: expect.stringContaining('1g.10gb'),
    });
    // No compute at all: reclaim rather than resize.
    expect(chooseAction({ ...i, activityPercent: 0 }).action).toBe(ReclaimAction.SCALE_TO_ZERO);
    // Not a MIG-capable model.
    expect(smallerMigProfile({ ...i, model: 'NVIDIA L40S' })).toBeUndefined();
    // Already on the smallest profile that fits.
    expect(smallerMigProfile({ ...i, migProfile: '1g.10gb', memoryUsedPercent: 60 })).toBeUndefined();
  });
});

describe('reclaimRecommendations', () => {
  it('ranks wasted GPUs by idle cost so far and leaves out active, unallocated and out-of-scope ones', () => {
    const recs = reclaimRecommendations(
      [
        candidate({}),
        candidate({
          key: 'GPU-b',
          uuid: 'GPU-b',
          since: new Date(NOW - 5 * H),
          namespace: 'ml',
          pod: 'train-0',
        }),
        candidate({ key: 'GPU-c', uuid: 'GPU-c', state: GpuActivityState.ACTIVE }),
        candidate({
          key: 'GPU-d',
          uuid: 'GPU-d',
          state: GpuActivityState.UNALLOCATED,
          namespace: undefined,
          pod: undefined,
        }),
      ],
      {},
      NOW,
      prices,
      UNRESTRICTED,
      {},
    );
    expect(recs.map((r) => [r.gpuId, r.idleGpuHours, r.idleCost])).toEqual([
      ['GPU-b', 5, 10],
      ['GPU-a', 2, 4],
    ]);
    const research = reclaimRecommendations(
      [candidate({}), candidate({ key: 'GPU-b', namespace: 'ml' })],
      {},
      NOW,
      prices,
      { namespaces: ['research'] },
      {},
    );
    expect(research.map((r) => r.gpuId)).toEqual(['GPU-a']);
  });

  it('lists only the clusters the cluster labels selected, and none when they selected none', () => {
    const fleet = [candidate({}), candidate({ key: 'GPU-w', uuid: 'GPU-w', cluster: 'west' })];
    const list = (filter: { cluster?: string; labelledClusters?: readonly string[] }) =>
      reclaimRecommendations(fleet, {}, NOW, prices, UNRESTRICTED, filter).map((r) => r.gpuId);
    expect(list({}).sort()).toEqual(['GPU-a', 'GPU-w']);
    expect(list({ labelledClusters: ['west'] })).toEqual(['GPU-w']);
    expect(list({ labelledClusters: [] })).toEqual([]);
    expect(list({ cluster: 'east', labelledClusters: ['west'] })).toEqual([]);
  });

  it('hides an acknowledged recommendation until its time runs out', () => {
    const ack = { 'GPU-a#research/jupyter-alice-0': { untilMs: NOW + H, by: 'a', atMs: NOW } };
    expect(reclaimRecommendations([candidate({})], ack, NOW, prices, UNRESTRICTED, {})).toEqual([]);
    expect(
      reclaimRecommendations([candidate({})], ack, NOW, prices, UNRESTRICTED, {
        includeAcknowledged: true,
      })[0]!.acknowledgedUntil,
    ).toEqual(new Date(NOW + H));
    expect(reclaimRecommendations([candidate({})], ack, NOW + H, prices, UNRESTRICTED, {})).toHaveLength(1);
  });
});

describe('reclaimAlertPayload', () => {
  it('says what to do, as a dry run, in a body Slack and Feishu both read', () => {
    const [rec] = reclaimRecommendations(
      [candidate({}, { ownerKind: 'StatefulSet', ownerName: 'jupyter-alice' })],
      {},
      NOW,
      prices,
      UNRESTRICTED,
      {},
    );
    const body = reclaimAlertPayload(rec!);
    expect(body).toMatchObject({
      event: 'reclaim_recommended',
      dry_run: true,
      gpu_id: 'GPU-a',
      namespace: 'research',
      pod: 'jupyter-alice-0',
      owner: 'StatefulSet/jupyter-alice',
      action: 'STOP_NOTEBOOK',
      idle_gpu_hours: 2,
      idle_cost: 4,
      msg_type: 'text',
    });
    expect(body.text).toContain('dry run');
    expect((body.content as { text: string }).text).toBe(body.text);
  });
});
