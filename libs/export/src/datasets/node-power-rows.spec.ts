import {
  IPMI_INPUT_COLUMNS,
  ipmiInputRows,
  KEPLER_NODE_COLUMNS,
  keplerNodeRows,
  NODE_POWER_COLUMNS,
  nodePowerRows,
} from './node-power-rows';

const T0 = Date.UTC(2026, 0, 1);
const T1 = T0 + 60_000;
const at = (timestampMs: number, value: number) => ({ timestampMs, value });

describe('nodePowerRows', () => {
  it('names every power column with its unit', () => {
    expect(NODE_POWER_COLUMNS.map((c) => c.name)).toEqual([
      'timestamp',
      'cluster',
      'node',
      'node_power_watts',
      'node_power_source',
      'server_input_watts',
      'platform_watts',
      'cpu_package_watts',
      'dram_watts',
      'gpu_watts',
      'npu_watts',
      'other_watts',
    ]);
  });

  it('takes the BMC input where known, else the platform, else the components, with empty cells for the rest', () => {
    const rows = nodePowerRows([
      {
        cluster: 'east',
        node: 'b',
        components: { cpuPackageWatts: [at(T0, 200)], dramWatts: [at(T0, 30)], gpuWatts: [at(T0, 1400)] },
      },
      {
        cluster: 'east',
        node: 'a',
        components: {
          serverInputWatts: [at(T0, 2500), at(T1, 2600)],
          platformWatts: [at(T0, 2400)],
          gpuWatts: [at(T0, 1500), at(T1, 1550)],
        },
      },
      { cluster: 'west', node: 'c', components: { platformWatts: [at(T1, 900)] } },
    ]);
    expect(rows).toEqual([
      [new Date(T0), 'east', 'a', 2500, 'ipmi_dcmi', 2500, 2400, null, null, 1500, null, null],
      [new Date(T0), 'east', 'b', 1630, 'kepler_components', null, null, 200, 30, 1400, null, null],
      [new Date(T1), 'east', 'a', 2600, 'ipmi_dcmi', 2600, null, null, null, 1550, null, null],
      [new Date(T1), 'west', 'c', 900, 'kepler_platform', null, 900, null, null, null, null, null],
    ]);
  });

  it('leaves whole-node power empty at a step where nothing adds up to it', () => {
    expect(nodePowerRows([{ cluster: 'east', node: 'a', components: { otherWatts: [at(T0, 50)] } }])).toEqual(
      [[new Date(T0), 'east', 'a', null, null, null, null, null, null, null, null, 50]],
    );
  });
});

describe('power export rows of one source (node, ipmi)', () => {
  const series = [
    {
      cluster: 'east',
      node: 'a',
      components: {
        serverInputWatts: [at(T0, 2500)],
        cpuPackageWatts: [at(T0, 200), at(T1, 210)],
        dramWatts: [at(T0, 30)],
        gpuWatts: [at(T1, 1400)],
      },
    },
    // A node only its BMC reports: no Kepler row, an IPMI row.
    { cluster: 'east', node: 'b', components: { serverInputWatts: [at(T0, 900)] } },
    // Kepler without a BMC: an empty IPMI cell.
    { cluster: 'west', node: 'c', components: { platformWatts: [at(T0, 800)], otherWatts: [at(T0, 100)] } },
  ];

  it('gives Kepler’s components per node and step, empty where Kepler had none, and no BMC-only rows', () => {
    expect(KEPLER_NODE_COLUMNS.map((c) => c.name)).toEqual([
      'timestamp',
      'cluster',
      'node',
      'cpu_package_watts',
      'dram_watts',
      'platform_watts',
      'other_watts',
      'gpu_watts',
    ]);
    expect(keplerNodeRows(series)).toEqual([
      [new Date(T0), 'east', 'a', 200, 30, null, null, null],
      [new Date(T0), 'west', 'c', null, null, 800, 100, null],
      [new Date(T1), 'east', 'a', 210, null, null, null, 1400],
    ]);
  });

  it('gives the BMC’s server input per node and step, with an empty cell where no BMC reported', () => {
    expect(IPMI_INPUT_COLUMNS.map((c) => c.name)).toEqual([
      'timestamp',
      'cluster',
      'node',
      'server_input_watts',
    ]);
    expect(ipmiInputRows(series)).toEqual([
      [new Date(T0), 'east', 'a', 2500],
      [new Date(T0), 'east', 'b', 900],
      [new Date(T0), 'west', 'c', null],
      [new Date(T1), 'east', 'a', null],
    ]);
  });
});
