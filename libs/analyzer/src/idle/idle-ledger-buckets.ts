import type { DeviceCharge, LedgerBucket, LedgerRow } from './idle-ledger.types';

/** Bucket arithmetic: a cycle's charges spread over fixed time buckets, merged idempotently, rows summed per holder. */
const rowKey = (r: Omit<LedgerRow, 'allocatedGpuSeconds' | 'idleGpuSeconds' | 'idleEnergyJoules'>) =>
  [r.cluster, r.namespace, r.pod, r.node, r.model].join('\u0000');

/** Splits a cycle's charges over the buckets its interval touches, pro rata. */
export function bucketParts(
  charges: readonly DeviceCharge[],
  fromMs: number,
  toMs: number,
  bucketMs: number,
): LedgerBucket[] {
  const parts: LedgerBucket[] = [];
  for (let start = Math.floor(fromMs / bucketMs) * bucketMs; start < toMs; start += bucketMs) {
    const a = Math.max(fromMs, start);
    const b = Math.min(toMs, start + bucketMs);
    if (b <= a) continue;
    const f = (b - a) / (toMs - fromMs);
    const rows = charges.map(
      (c): LedgerRow => ({
        cluster: c.device.cluster,
        namespace: c.device.namespace ?? '',
        pod: c.device.pod ?? '',
        node: c.device.node,
        model: c.device.model,
        allocatedGpuSeconds: c.allocatedGpuSeconds * f,
        idleGpuSeconds: c.idleGpuSeconds * f,
        idleEnergyJoules: c.idleEnergyJoules * f,
      }),
    );
    parts.push({ startMs: start, fromMs: a, untilMs: b, rows: sumRows(rows, 1) });
  }
  return parts;
}

/**
 * Adds a part to its bucket, idempotently: the bucket's `untilMs` is a watermark, and only the part of the interval
 * after it is added (pro rata), so a cycle accounted twice (a retry, two replicas racing) is never counted twice.
 */
export function mergePart(bucket: LedgerBucket | undefined, part: LedgerBucket): LedgerBucket {
  if (!bucket) return part;
  if (bucket.untilMs >= part.untilMs) return bucket;
  const from = Math.max(part.fromMs, bucket.untilMs);
  const f = (part.untilMs - from) / (part.untilMs - part.fromMs);
  return {
    startMs: bucket.startMs,
    fromMs: Math.min(bucket.fromMs, part.fromMs),
    untilMs: part.untilMs,
    rows: sumRows([...bucket.rows, ...part.rows.map((r) => scaled(r, f))], 1),
  };
}

function scaled(r: LedgerRow, f: number): LedgerRow {
  return {
    ...r,
    allocatedGpuSeconds: r.allocatedGpuSeconds * f,
    idleGpuSeconds: r.idleGpuSeconds * f,
    idleEnergyJoules: r.idleEnergyJoules * f,
  };
}

/** Rows summed per (cluster, namespace, pod, node, model), each scaled by `f`. */
export function sumRows(rows: readonly LedgerRow[], f: number): LedgerRow[] {
  const out = new Map<string, LedgerRow>();
  for (const r of rows) {
    const k = rowKey(r);
    const s = scaled(r, f);
    const prev = out.get(k);
    out.set(
      k,
      prev
        ? {
            ...prev,
            allocatedGpuSeconds: prev.allocatedGpuSeconds + s.allocatedGpuSeconds,
            idleGpuSeconds: prev.idleGpuSeconds + s.idleGpuSeconds,
            idleEnergyJoules: prev.idleEnergyJoules + s.idleEnergyJoules,
          }
        : s,
    );
  }
  return [...out.values()];
}
