import { badInput } from '@kcloud/common';

/** Never finer than a minute by default: exporter scrapes are 10–60 s apart, finer steps repeat samples. */
const MIN_DEFAULT_STEP_SECONDS = 60;
/** About a point every 5 minutes over a day, every 15 over a week. */
const TARGET_POINTS = 720;

export function pointsIn(rangeSeconds: number, stepSeconds: number): number {
  return Math.floor(rangeSeconds / stepSeconds) + 1;
}

export interface StepChoice {
  readonly stepSeconds: number;
  readonly estimatedRows: number;
}

/**
 * The step of a time-series export and the rows it will produce (`series` rows per point). An explicit step is
 * kept and checked against the cap; without one, the step is the coarser of ~720 points and what fits the cap.
 */
export function chooseStep(
  rangeSeconds: number,
  series: number,
  maxRows: number,
  requested: number | undefined,
): StepChoice {
  const perPoint = Math.max(1, series);
  if (requested !== undefined) {
    const estimatedRows = pointsIn(rangeSeconds, requested) * perPoint;
    if (estimatedRows > maxRows)
      throw badInput(
        'step',
        `range / step would produce about ${estimatedRows} rows, more than the limit of ${maxRows}; use a larger step or a shorter range`,
      );
    return { stepSeconds: requested, estimatedRows };
  }
  const maxPoints = Math.floor(maxRows / perPoint);
  if (maxPoints < 1)
    throw badInput(
      'cluster',
      `${perPoint} series exceed the limit of ${maxRows} rows even at one point each; narrow with cluster or namespace`,
    );
  let stepSeconds = Math.max(MIN_DEFAULT_STEP_SECONDS, Math.ceil(rangeSeconds / TARGET_POINTS));
  if (pointsIn(rangeSeconds, stepSeconds) > maxPoints)
    stepSeconds = maxPoints > 1 ? Math.ceil(rangeSeconds / (maxPoints - 1)) : Math.floor(rangeSeconds) + 1;
  return { stepSeconds, estimatedRows: pointsIn(rangeSeconds, stepSeconds) * perPoint };
}

/** chooseStep for a request's range and asked step. */
export function requestStep(
  request: { readonly from: Date; readonly to: Date; readonly stepSeconds?: number },
  series: number,
  maxRows: number,
): StepChoice {
  return chooseStep(
    (request.to.getTime() - request.from.getTime()) / 1000,
    series,
    maxRows,
    request.stepSeconds,
  );
}
