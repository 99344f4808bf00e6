import type { Recommendation } from './reclaim';

/**
 * The chat alert for a GPU that just entered a wasted state: `text` for Slack-style webhooks plus Feishu's
 * `msg_type`/`content` (as the score alerts), and the recommendation's fields. `dry_run` is always true: the
 * analyzer advises, a person (or a controller the operator trusts) acts.
 */
export function reclaimAlertPayload(r: Recommendation): Record<string, unknown> {
  const hours = r.idleGpuHours.toFixed(2);
  const text =
    `GPU ${r.state}: ${r.namespace}/${r.pod} on ${r.node} (${r.gpuId}, cluster ${r.cluster}) since ` +
    `${r.idleSince.toISOString()}, ${hours} GPU-h. Suggested: ${r.action} — ${r.reason} (dry run: nothing was changed)`;
  return {
    event: 'reclaim_recommended',
    dry_run: true,
    gpu_id: r.gpuId,
    cluster: r.cluster,
    hostname: r.node,
    namespace: r.namespace,
    pod: r.pod,
    owner: r.owner ?? null,
    state: r.state,
    idle_since: r.idleSince.toISOString(),
    idle_gpu_hours: Math.round(r.idleGpuHours * 1000) / 1000,
    idle_cost: Math.round(r.idleCost * 100) / 100,
    currency: r.currency,
    action: r.action,
    reason: r.reason,
    text,
    msg_type: 'text',
    content: { text },
  };
}
