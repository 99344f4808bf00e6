import type { GpuWindowAggregate } from '@kcloud/metrics-source';
import { xidEntry } from '@kcloud/accelerators';

type Health = Pick<GpuWindowAggregate, 'lastXid' | 'eccDoubleBitVolatileCount' | 'migInstanceId'>;

const isCritical = (xid: number | undefined): xid is number =>
  xid !== undefined && xid > 0 && xidEntry(xid).severity === 'CRITICAL';

/**
 * Why a device must not be scored on its numbers: a critical XID (the catalogue's CRITICAL codes: fallen off the bus,
 * double-bit ECC, uncontained ECC…) or a double-bit ECC error since the driver loaded. A failing device's utilisation
 * and power are not evidence of use or idleness. Undefined when neither holds (or neither was exported: absent health
 * counters say nothing, and the other checks judge the numbers). On a MIG instance the counters are its board's
 * (see withBoardHealth), so the reason names the board.
 */
export function healthProblem(a: Health): string | undefined {
  const problems: string[] = [];
  const xid = a.lastXid;
  if (isCritical(xid)) problems.push(`critical XID ${xid} (${xidEntry(xid).description})`);
  const dbe = a.eccDoubleBitVolatileCount;
  if (dbe !== undefined && dbe > 0) problems.push(`${dbe} double-bit ECC error(s) since the driver loaded`);
  if (!problems.length) return undefined;
  const what = a.migInstanceId === undefined ? 'failing device' : 'failing board (every MIG instance on it)';
  return `${what}: ${problems.join(', ')}`;
}

/**
 * XID and double-bit ECC are board counters: a MIG instance fails with its board. dcgm-exporter reports a MIG board
 * only per instance, and a counter may reach Prometheus on some instance rows and not others (blank, or a row
 * scraped late), so every MIG instance takes the worst of its board's rows: a critical XID seen on any of them (the
 * highest code when several), and the highest double-bit ECC count. Whole GPUs (one row per board) are unchanged.
 */
export function withBoardHealth(items: readonly GpuWindowAggregate[]): GpuWindowAggregate[] {
  const boards = new Map<string, { xid?: number; dbe?: number }>();
  const boardOf = (a: GpuWindowAggregate) => `${a.cluster}\u0000${a.uuid}`;
  for (const a of items) {
    if (a.migInstanceId === undefined) continue;
    const b = boards.get(boardOf(a)) ?? {};
    if (isCritical(a.lastXid) && a.lastXid > (b.xid ?? 0)) b.xid = a.lastXid;
    const dbe = a.eccDoubleBitVolatileCount;
    if (dbe !== undefined && dbe > (b.dbe ?? 0)) b.dbe = dbe;
    boards.set(boardOf(a), b);
  }
  return items.map((a) => {
    const b = a.migInstanceId === undefined ? undefined : boards.get(boardOf(a));
    if (!b || (b.xid === undefined && b.dbe === undefined)) return a;
    return {
      ...a,
      lastXid: b.xid ?? a.lastXid,
      eccDoubleBitVolatileCount: b.dbe ?? a.eccDoubleBitVolatileCount,
    };
  });
}
