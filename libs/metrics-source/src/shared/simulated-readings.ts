import { blankText, type BlankReadings } from '@kcloud/fleet-model';
import type { GpuSample } from '../gpu-snapshot/gpu-sample';
import type { WithInvalidReadings } from '../quality/reading-quality';
import { type ReadingField, ReadingJudge } from '../quality/reading-value';
import { DCGM_VALUE_FAMILIES } from '../gpu-snapshot/dcgm-families';

/**
 * The simulated adapter judges its readings like the Prometheus adapter: the model's values go through the same
 * classifier, and a dcgm-exporter blank set on the model (`model.blanks`, POST /control/blank) replaces the value the
 * exposition would have carried. Both adapters then answer null with the same reason for the same device and field.
 */
export function judgedGpuSample<S extends GpuSample>(sample: S, blanks: BlankReadings): S {
  const labels: Record<string, string> = { UUID: sample.uuid, Hostname: sample.node };
  if (sample.migInstanceId !== undefined) labels.GPU_I_ID = sample.migInstanceId;
  const target = { cluster: sample.cluster, node: sample.node };
  const judge = new ReadingJudge();
  const out = { ...sample } as Record<string, unknown>;
  for (const family of DCGM_VALUE_FAMILIES) {
    if (family.alias) continue; // the simulated exporter speaks the current names only
    const rule = blanks.list().length ? blanks.ruleFor(family.metric, labels, target) : undefined;
    const value = sample[family.field];
    // The exporter's raw value: the blank's text as Prometheus would parse it, else the model's in DCGM's unit.
    const raw = rule
      ? Number(blankText(rule.form, family.metric))
      : value === undefined
        ? undefined
        : value / family.factor;
    if (raw === undefined) continue;
    out[family.field] = judge.read(family.field, raw, (r) => r * family.factor);
    // Keep the model's exact value when accepted (no round trip through the unit factor).
    if (!rule && out[family.field] !== undefined) out[family.field] = value;
  }
  return { ...(out as S), invalidReadings: judge.invalidReadings };
}

/** Judges the named numeric fields of a model sample as they are (already in the sample's units). */
export function judgedFields<S extends WithInvalidReadings>(sample: S, fields: readonly ReadingField[]): S {
  const judge = new ReadingJudge();
  const out = { ...sample } as Record<string, unknown>;
  for (const field of fields) {
    const value = out[field];
    if (typeof value === 'number') out[field] = judge.read(field, value);
  }
  return { ...(out as S), invalidReadings: judge.invalidReadings };
}
