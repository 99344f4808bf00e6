import { blankText, type BlankReadings } from '@kcloud/fleet-model';
import type { GpuSample } from '../gpu-snapshot/gpu-sample';
import type { WithInvalidReadings } from '../quality/reading-quality';
import { type ReadingField, ReadingJudge } from '../quality/reading-value';
import { DCGM_VALUE_FAMILIES } from '../gpu-snapshot/dcgm-families';

/** The families the simulated exporter emits (current names only), each with its unit conversion made once. */
const EMITTED = DCGM_VALUE_FAMILIES.filter((f) => !f.alias).map((family) => ({
  family,
  toUnit: (raw: number) => raw * family.factor,
}));

/**
 * The simulated adapter judges its readings like the Prometheus adapter: the model's values go through the same
 * classifier, and a dcgm-exporter blank set on the model (`model.blanks`, POST /control/blank) replaces the value the
 * exposition would have carried. Both adapters then answer null with the same reason for the same device and field.
 *
 * Judged in place: `sample` must be a fresh object that nobody else holds yet (the simulated snapshot builds one per
 * device and read) and must already carry every key it can have, `invalidReadings` last, so each sample keeps the one
 * shape and no copy of its ~40 fields is made per device.
 */
export function judgeGpuSampleInPlace<S extends GpuSample>(sample: S, blanks: BlankReadings): S {
  const blanked = blanks.list().length > 0;
  const labels: Record<string, string> = blanked ? { UUID: sample.uuid, Hostname: sample.node } : {};
  if (blanked && sample.migInstanceId !== undefined) labels.GPU_I_ID = sample.migInstanceId;
  const target = { cluster: sample.cluster, node: sample.node };
  const judge = new ReadingJudge();
  const out = sample as Record<keyof GpuSample, unknown>;
  for (const { family, toUnit } of EMITTED) {
    const rule = blanked ? blanks.ruleFor(family.metric, labels, target) : undefined;
    const value = sample[family.field];
    // The exporter's raw value: the blank's text as Prometheus would parse it, else the model's in DCGM's unit.
    const raw = rule
      ? Number(blankText(rule.form, family.metric))
      : value === undefined
        ? undefined
        : value / family.factor;
    if (raw === undefined) continue;
    const judged = judge.read(family.field, raw, toUnit);
    // Keep the model's exact value when accepted (no round trip through the unit factor).
    out[family.field] = !rule && judged !== undefined ? value : judged;
  }
  out.invalidReadings = judge.invalidReadings;
  return sample;
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
