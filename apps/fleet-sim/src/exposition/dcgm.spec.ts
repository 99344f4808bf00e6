import { join } from 'node:path';

import { FleetModel, HEALTHY } from '@kcloud/fleet-model';
import type { SimGpu } from '@kcloud/fleet-model';

import { firstOf } from '../testing/first-of';
import { DcgmLabelCache, dcgmLabels, renderDcgm } from './dcgm';
import { DCGM_FIELDS } from './dcgm-fields';

const base: SimGpu = {
  cluster: 'c',
  node: 'gpu-node-1',
  uuid: 'GPU-289275cb-a907-ab73-9a95-058ae119f62d',
  index: 1,
  pciBusId: '00000000:64:00.0',
  model: 'NVIDIA H100 80GB HBM3',
  driverVersion: '580.105.08',
  namespace: 'llm',
  pod: 'vllm-7f8d9',
  container: 'vllm',
  pattern: 'inference',
  utilizationPercent: 81,
  memoryCopyUtilizationPercent: 40,
  memoryUsedMiB: 71232,
  memoryFreeMiB: 9774,
  memoryReservedMiB: 553,
  powerWatts: 67.351,
  powerLimitWatts: 700,
  temperatureCelsius: 26,
  memoryTemperatureCelsius: 31,
  smClockMHz: 1980,
  memClockMHz: 2619,
  energyMillijoules: 196764132,
  grEngineActiveRatio: 0.812345,
  dramActiveRatio: 0.4,
  tensorActiveRatio: 0.3,
  ...HEALTHY,
};
const idle: SimGpu = {
  ...base,
  namespace: undefined,
  pod: undefined,
  container: undefined,
  pattern: 'unallocated',
};
const slice: SimGpu = {
  ...base,
  index: 0,
  pciBusId: '00000000:53:00.0',
  migProfile: '1g.10gb',
  migInstanceId: '7',
  utilizationPercent: undefined,
  memoryCopyUtilizationPercent: undefined,
};

const lineOf = (text: string, metric: string): string | undefined =>
  text.split('\n').find((l) => l.startsWith(`${metric}{`));

describe('dcgm-exporter exposition', () => {
  it('orders labels as the template does: prefix, Hostname, driver label, then container/namespace/pod', () => {
    expect(lineOf(renderDcgm([base]), 'DCGM_FI_DEV_FB_USED')).toBe(
      'DCGM_FI_DEV_FB_USED{gpu="1",UUID="GPU-289275cb-a907-ab73-9a95-058ae119f62d",pci_bus_id="00000000:64:00.0",device="nvidia1",modelName="NVIDIA H100 80GB HBM3",Hostname="gpu-node-1",DCGM_FI_DRIVER_VERSION="580.105.08",container="vllm",namespace="llm",pod="vllm-7f8d9"} 71232',
    );
  });

  it('prints doubles with %f and integers with %d', () => {
    const text = renderDcgm([base]);
    expect(lineOf(text, 'DCGM_FI_DEV_POWER_USAGE')).toMatch(/\} 67\.351000$/);
    expect(lineOf(text, 'DCGM_FI_DEV_POWER_MGMT_LIMIT')).toMatch(/\} 700\.000000$/);
    expect(lineOf(text, 'DCGM_FI_PROF_GR_ENGINE_ACTIVE')).toMatch(/\} 0\.812345$/);
    expect(lineOf(text, 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION')).toMatch(/\} 196764132$/);
    expect(text).toContain('# TYPE DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION counter\n');
  });

  it('gives unallocated GPUs no container/namespace/pod labels at all', () => {
    // XID rows add only the exporter's err_code/err_msg attributes.
    for (const line of renderDcgm([idle])
      .split('\n')
      .filter((l) => l.startsWith('DCGM_')))
      expect(line).toMatch(
        /,DCGM_FI_DRIVER_VERSION="580\.105\.08"(,err_code="0",err_msg="No Error")?\} \S+$/,
      );
  });

  it('puts GPU_I_PROFILE/GPU_I_ID after modelName for MIG rows and omits GPU_UTIL/MEM_COPY_UTIL there', () => {
    const text = renderDcgm([slice]);
    expect(dcgmLabels(slice, 'Hostname')).toBe(
      '{gpu="0",UUID="GPU-289275cb-a907-ab73-9a95-058ae119f62d",pci_bus_id="00000000:53:00.0",device="nvidia0",modelName="NVIDIA H100 80GB HBM3",GPU_I_PROFILE="1g.10gb",GPU_I_ID="7",Hostname="gpu-node-1",DCGM_FI_DRIVER_VERSION="580.105.08",container="vllm",namespace="llm",pod="vllm-7f8d9"}',
    );
    expect(text).not.toContain('DCGM_FI_DEV_GPU_UTIL');
    expect(text).not.toContain('DCGM_FI_DEV_MEM_COPY_UTIL');
    expect(lineOf(text, 'DCGM_FI_PROF_GR_ENGINE_ACTIVE')).toContain('GPU_I_ID="7"');
  });

  it('spells the host label as asked and can leave out the power limit', () => {
    const text = renderDcgm([base], { hostnameLabel: 'hostname', powerLimit: false });
    expect(text).toContain(',hostname="gpu-node-1",');
    expect(text).not.toContain('Hostname=');
    expect(text).not.toContain('DCGM_FI_DEV_POWER_MGMT_LIMIT');
  });

  it('renders families in field-id order with one HELP/TYPE each, and nothing for no GPUs', () => {
    const names = renderDcgm([base, slice], { allHealthCounters: true })
      .split('\n')
      .filter((l) => l.startsWith('# TYPE '))
      .map((l) => l.split(' ')[2]);
    expect(names).toEqual(DCGM_FIELDS.map((f) => f.name));
    expect(renderDcgm([])).toBe('');
  });

  it('escapes quotes, backslashes and newlines in label values', () => {
    expect(dcgmLabels({ ...base, pod: 'a"b\\c\nd' }, 'Hostname')).toContain('pod="a\\"b\\\\c\\nd"');
  });

  it('reuses cached label sets and rebuilds them when the tenant changes', () => {
    const cache = new DcgmLabelCache();
    const first = cache.labelsFor(base, 'Hostname');
    expect(cache.labelsFor({ ...base, powerWatts: 1 }, 'Hostname')).toBe(first);
    expect(cache.labelsFor({ ...base, pod: 'other-0' }, 'Hostname')).toContain('pod="other-0"');
    expect(cache.labelsFor(idle, 'Hostname')).not.toContain('pod=');
    expect(cache.labelsFor(idle, 'hostname')).toContain('hostname=');
    expect(cache.size).toBe(1);
  });

  it('follows setPattern through the cache: the new tenant shows on the next render', () => {
    const model = new FleetModel({
      seed: 1,
      clusters: [{ name: 'c', generate: { nodes: 1, gpusPerNode: 2, mix: { unallocated: 1 } } }],
    });
    const cache = new DcgmLabelCache();
    const gpu = firstOf(model.gpus(), 'GPU');
    expect(renderDcgm(model.gpus(), { labelCache: cache })).not.toContain('pod=');
    model.setPattern(gpu.uuid, undefined, 'training', { namespace: 'ns', pod: 'p-0', container: 'c' });
    expect(renderDcgm(model.gpus(), { labelCache: cache })).toContain('namespace="ns",pod="p-0"');
  });

  // Its speed is measured by the bench (a unit test never depends on timing: the CI host is shared).
  it('renders 10,000 GPUs, every family, one line per GPU per family', () => {
    const scenarios = join(__dirname, '..', '..', '..', '..', 'libs', 'fleet-model', 'scenarios');
    const model = FleetModel.fromFile(join(scenarios, 'bench-10k.yaml'));
    const options = { labelCache: new DcgmLabelCache(), allHealthCounters: true };
    renderDcgm(model.gpus(), options); // warm the label cache, as the server's first scrape does
    const lines = renderDcgm(model.gpus(), options).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.filter((l) => l.startsWith('DCGM_'))).toHaveLength(DCGM_FIELDS.length * 10_000);
    expect(lines.filter((l) => l.startsWith('# '))).toHaveLength(DCGM_FIELDS.length * 2);
  });
});
