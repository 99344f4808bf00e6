import type { GpuWindowAggregate } from '@kcloud/metrics-source';
import { type ScoreRecord, toRecord } from '../records';
import type { ScoreStatus } from '../scoring';

/** The instant the analyzer specs' records are computed at. */
export const RECORD_AT = new Date('2026-01-01T12:00:00Z');

/** A device's window aggregate for specs: cluster c1, node n1, only identity and tenants unless `extra` adds more. */
export function testAggregate(
  uuid: string,
  tenants: GpuWindowAggregate['tenants'] = [],
  extra: Partial<GpuWindowAggregate> = {},
): GpuWindowAggregate {
  return { cluster: 'c1', node: 'n1', uuid, index: 0, model: 'm', tenants, observedAt: RECORD_AT, ...extra };
}

/** A first-sighting ScoreRecord (600 s window, computed at RECORD_AT) with the status and score given. */
export function testRecord(
  uuid: string,
  status: ScoreStatus,
  score?: number,
  tenants: GpuWindowAggregate['tenants'] = [],
  extra: Partial<GpuWindowAggregate> = {},
): ScoreRecord {
  return toRecord(
    testAggregate(uuid, tenants, extra),
    { status, score, inputs: {}, sources: {} },
    600,
    RECORD_AT,
    undefined,
  );
}
