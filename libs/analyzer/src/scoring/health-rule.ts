import type { GpuWindowAggregate } from '@kcloud/metrics-source';
import { xidEntry } from '@kcloud/accelerators';

/**
 * Why a device must not be scored on its numbers: a critical XID (the catalogue's CRITICAL codes: fallen off the bus,
 * double-bit ECC, uncontained ECC…) or a double-bit ECC error since the driver loaded. A failing device's utilisation
 * and power are not evidence of use or idleness. Undefined when neither holds (or neither was exported: absent health
 * counters say nothing, and the other checks judge the numbers).
 */
export function healthProblem(
  a: Pick<GpuWindowAggregate, 'lastXid' | 'eccDoubleBitVolatileCount'>,
): string | undefined {
  const problems: string[] = [];
  const xid = a.lastXid;
  if (xid !== undefined && xid > 0) {
    const entry = xidEntry(xid);
    if (entry.severity === 'CRITICAL') problems.push(`critical XID ${xid} (${entry.description})`);
  }
  const dbe = a.eccDoubleBitVolatileCount;
  if (dbe !== undefined && dbe > 0) problems.push(`${dbe} double-bit ECC error(s) since the driver loaded`);
  return problems.length ? `failing device: ${problems.join(', ')}` : undefined;
}
