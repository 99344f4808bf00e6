import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where the golden files and their scenarios live, and the fixed time every golden body is rendered at. */
export const GOLDEN_DIR = join(__dirname, '..', 'exposition', '__golden__');
export const GOLDEN_AT = Date.UTC(2026, 0, 15, 12, 0, 3);

export interface GoldenCase {
  readonly file: string;
  readonly render: () => string;
}

/**
 * The golden-file test (as node_exporter's end-to-end test does): each case must render byte for byte as recorded in
 * __golden__. After an intended change, UPDATE_GOLDEN=1 rewrites the files; check their diff against METRICS.md and
 * commit them.
 */
export function itRendersAsRecorded(cases: readonly GoldenCase[]): void {
  it.each(cases)('renders $file exactly as recorded', ({ file, render }) => {
    const actual = render();
    const path = join(GOLDEN_DIR, file);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
    expect(actual).toBe(readFileSync(path, 'utf8'));
  });
}
