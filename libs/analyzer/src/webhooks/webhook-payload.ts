import type { ScoreRow } from '../scoring/records';

/** The seed monitor's control-API body, field for field. */
export interface ControlApiPayload {
  readonly gpu_id: string;
  readonly pod: string | null;
  readonly namespace: string | null;
  readonly hostname: string;
  readonly score: number | null;
  readonly status: string;
  readonly timestamp: string;
}

export function controlApiPayload(r: ScoreRow): ControlApiPayload {
  return {
    gpu_id: r.key,
    pod: r.pod ?? null,
    namespace: r.namespace ?? null,
    hostname: r.node,
    score: r.score === undefined ? null : Math.round(r.score * 100) / 100,
    status: r.status,
    timestamp: r.computedAt.toISOString(),
  };
}

/** A tenant's GPU became idle/low, or a GPU no pod holds did (never posted to the control API). */
export type ChatAlertEvent = 'tenant_gpu_underused' | 'unallocated_gpu_underused';

/**
 * A chat alert: `text` for Slack-style incoming webhooks plus Feishu's `msg_type`/`content`, as the seed sent, so one
 * body works with either; the seed's fields ride along for bots that read them.
 */
export function chatAlertPayload(
  r: ScoreRow,
): ControlApiPayload & { event: ChatAlertEvent; text: string; msg_type: 'text'; content: { text: string } } {
  const p = controlApiPayload(r);
  const who = p.namespace ? `${p.namespace}/${p.pod}` : 'unallocated (no pod)';
  const text = `GPU ${p.status.toUpperCase()}: ${who} on ${p.hostname} (${p.gpu_id}, cluster ${r.cluster}), score ${p.score ?? 'n/a'}`;
  const event = p.pod === null ? 'unallocated_gpu_underused' : 'tenant_gpu_underused';
  return { ...p, event, text, msg_type: 'text', content: { text } };
}
