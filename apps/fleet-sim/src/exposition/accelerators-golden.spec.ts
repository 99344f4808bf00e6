import { join } from 'node:path';

import { FleetModel } from '@kcloud/fleet-model';

import { renderAcceleratorTarget } from '../accelerator-targets';
import { GOLDEN_AT, GOLDEN_DIR, type GoldenCase, itRendersAsRecorded } from '../testing/golden-files';

/**
 * Golden files for the accelerator exporters (furiosa-metrics-exporter, rbln-metrics-exporter, all-smi in both label
 * generations, nvidia_gpu_exporter), rendered from a fixed scenario at a fixed time. Regenerate after an intended
 * change with UPDATE_GOLDEN=1, check the diff against METRICS.md §4–6, commit.
 */
const model = FleetModel.fromFile(join(GOLDEN_DIR, 'accelerators-scenario.yaml'));

const render = (
  cluster: string,
  exporter: 'furiosa' | 'rbln' | 'all-smi' | 'nvidia-smi',
  node?: string,
): string => {
  const out = renderAcceleratorTarget(model, cluster, exporter, node, GOLDEN_AT);
  if (!('body' in out)) throw new Error(out.notFound);
  return out.body;
};

const cases: readonly GoldenCase[] = [
  { file: 'furiosa-npu.prom', render: () => render('golden-npu', 'furiosa') },
  { file: 'rbln-npu.prom', render: () => render('golden-npu', 'rbln', 'npu-1') },
  { file: 'all-smi.prom', render: () => render('golden-smi', 'all-smi', 'gpu-1') },
  { file: 'all-smi-v0.20.prom', render: () => render('golden-smi-old', 'all-smi') },
  { file: 'all-smi-npu.prom', render: () => render('golden-smi-npu', 'all-smi') },
  { file: 'nvidia-smi.prom', render: () => render('golden-nv', 'nvidia-smi', 'gpu-1') },
];

/** Prometheus text format: comments, or `name{labels} value` with a finite or special float. */
const SAMPLE =
  /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="(\\.|[^"\\])*"(, ?)?)*\})? -?(\d+(\.\d+)?(e[+-]\d+)?|NaN|[+-]Inf)$/;

describe('accelerator exposition golden files', () => {
  itRendersAsRecorded(cases);

  it.each(cases)('$file is valid text exposition, every series once', ({ render: produce }) => {
    const lines = produce().trimEnd().split('\n');
    const samples = lines.filter((l) => !l.startsWith('#'));
    expect(samples.filter((l) => !SAMPLE.test(l))).toEqual([]);
    const series = samples.map((l) => l.slice(0, l.lastIndexOf(' ')));
    expect(new Set(series).size).toBe(series.length);
  });

  it('groups client_golang families once and sorted, while all-smi repeats HELP/TYPE per device', () => {
    for (const body of [render('golden-npu', 'furiosa'), render('golden-nv', 'nvidia-smi', 'gpu-1')]) {
      const types = body.split('\n').filter((l) => l.startsWith('# TYPE '));
      expect(new Set(types).size).toBe(types.length);
      expect(types).toEqual([...types].sort());
    }
    const allSmi = render('golden-smi', 'all-smi', 'gpu-1').split('\n');
    expect(allSmi.filter((l) => l === '# TYPE all_smi_gpu_power_consumption_watts gauge')).toHaveLength(3);
  });
});
