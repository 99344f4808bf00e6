/**
 * The analyzer fields a GPU history point can carry, read from the analyzer's exported score series
 * (metrics-source's score-history capability), so a GPU's score and status history survive a restart of the API.
 */
export const SCORE_FIELDS = ['score', 'status'] as const;
export type ScoreField = (typeof SCORE_FIELDS)[number];

/** Whether fields name score or status (then the score history is read: one more range query per Prometheus). */
export const asksScores = (fields: readonly string[]): boolean =>
  fields.some((f) => (SCORE_FIELDS as readonly string[]).includes(f));
