import { type BlankForm, FleetModel, fleetPower, type Scenario } from '@kcloud/fleet-model';
import { startFleetSim, type RunningFleetSim } from '../apps/fleet-sim/src/server';
import { readArrow, readCsv, readNdjson, readParquet } from './harness/export-readers';
import { gql } from './harness/graphql-client';
import { pollUntil } from './harness/poll';
import { bmcNodeMap } from './harness/power-jobs';
import { connectWs } from './harness/ws-client';
import { at } from './harness/indexed';
import { useStack } from './harness/use-stack';
import { inferenceMigBoard } from './harness/scenario-parts';

/**
 * Blank, NaN and impossible readings through the real path: the simulator serves DCGM's blank forms (and NVML's, NaN,
 * ±Inf, impossible values) for chosen fields of chosen devices, a real Prometheus per cluster scrapes them, and the
 * API must serve each such field as null, never as the number, while the device's other fields stay as simulated.
 */
const scenario: Scenario = {
  seed: 19,
  tickSeconds: 3600,
  clusters: [
    {
      name: 'dcgm-east',
      nodes: [
        {
          name: 'east-gpu-01',
          gpuModel: 'NVIDIA H100 80GB HBM3',
          gpus: [
            { pattern: 'training', namespace: 'ml-training', pod: 'llama-ft-0', container: 'trainer' },
            { pattern: 'unallocated' },
            inferenceMigBoard(2, 9),
          ],
        },
      ],
      npuNodes: [
        {
          name: 'east-gpu-01',
          npuModel: 'RNGD',
          npus: [{ pattern: 'inference', namespace: 'inference', pod: 'llm-rngd-0', container: 'llm' }],
        },
        {
          name: 'east-npu-01',
          npuModel: 'RBLN-CA25',
          npus: [
            { pattern: 'training', namespace: 'ml-training', pod: 'atom-train-0', container: 'trainer' },
          ],
        },
      ],
    },
    {
      name: 'nv-south',
      gpuExporter: 'nvidia-smi',
      nodes: [
        {
          name: 'south-gpu-01',
          gpuModel: 'NVIDIA A100 80GB PCIe',
          gpus: [{ pattern: 'training', namespace: 'ml-training', pod: 'bert-0' }, { pattern: 'inference' }],
        },
      ],
    },
    {
      name: 'smi-west',
      gpuExporter: 'all-smi',
      nodes: [
        {
          name: 'west-gpu-01',
          gpuModel: 'NVIDIA L40S',
          gpus: [{ pattern: 'training', namespace: 'ml-training', pod: 'sd-0' }, { pattern: 'inference' }],
        },
      ],
    },
  ],
};

/** One blank: exposition family and device on the simulator side, the GraphQL field that must turn null. */
interface BlankCase {
  readonly cluster: string;
  readonly metric: string;
  /** Index into the cluster's devices (GPU rows or NPU cards) as the model lists them. */
  readonly device: number;
  readonly kind: 'gpu' | 'npu';
  readonly labels?: Readonly<Record<string, string>>;
  readonly form: BlankForm;
  readonly field: string;
  /** Fields derived from the refused one (null with it). */
  readonly derived?: readonly string[];
}

/** A case in one line: cluster, device index, exposition family, blank form, GraphQL field (+ label match). */
const gpu = (
  cluster: string,
  device: number,
  metric: string,
  form: BlankForm,
  field: string,
  derived?: readonly string[],
): BlankCase => ({ cluster, kind: 'gpu', device, metric, form, field, derived });
const npu = (
  device: number,
  metric: string,
  form: BlankForm,
  field: string,
  labels?: Readonly<Record<string, string>>,
): BlankCase => ({ cluster: 'dcgm-east', kind: 'npu', device, metric, form, field, labels });
const TOTAL = ['memoryTotalMiB'];

const CASES: readonly BlankCase[] = [
  // dcgm-exporter, a whole GPU: every blank form on one family each.
  gpu('dcgm-east', 0, 'DCGM_FI_DEV_GPU_TEMP', 'int64', 'temperatureCelsius'),
  gpu('dcgm-east', 0, 'DCGM_FI_DEV_POWER_USAGE', 'fp64', 'powerWatts'),
  gpu('dcgm-east', 0, 'DCGM_FI_DEV_GPU_UTIL', 'int32', 'utilizationPercent'),
  gpu('dcgm-east', 0, 'DCGM_FI_DEV_SM_CLOCK', 'nan', 'smClockMHz'),
  gpu('dcgm-east', 0, 'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION', 'int64', 'energyJoules'),
  gpu('dcgm-east', 0, 'DCGM_FI_DEV_MEM_COPY_UTIL', 'impossible', 'memoryCopyUtilizationPercent'),
  gpu('dcgm-east', 0, 'DCGM_FI_DEV_POWER_MGMT_LIMIT', 'uint32', 'powerLimitWatts'),
  gpu('dcgm-east', 1, 'DCGM_FI_DEV_FB_USED', 'uint32', 'memoryUsedMiB', TOTAL),
  gpu('dcgm-east', 1, 'DCGM_FI_DEV_GPU_TEMP', 'float-max', 'temperatureCelsius'),
  gpu('dcgm-east', 1, 'DCGM_FI_DEV_POWER_USAGE', 'inf', 'powerWatts'),
  // A MIG instance.
  gpu('dcgm-east', 2, 'DCGM_FI_DEV_FB_USED', 'int32', 'memoryUsedMiB', TOTAL),
  gpu('dcgm-east', 2, 'DCGM_FI_PROF_GR_ENGINE_ACTIVE', 'fp64', 'graphicsEngineActivePercent'),
  gpu('dcgm-east', 2, 'DCGM_FI_DEV_GPU_TEMP', 'impossible', 'temperatureCelsius'),
  // nvidia_gpu_exporter.
  gpu('nv-south', 0, 'nvidia_smi_temperature_gpu', 'int32', 'temperatureCelsius'),
  gpu('nv-south', 0, 'nvidia_smi_power_draw_watts', 'fp64', 'powerWatts'),
  gpu('nv-south', 0, 'nvidia_smi_utilization_gpu_ratio', 'nan', 'utilizationPercent'),
  gpu('nv-south', 0, 'nvidia_smi_memory_used_bytes', 'int64', 'memoryUsedMiB', TOTAL),
  gpu('nv-south', 1, 'nvidia_smi_clocks_current_sm_clock_hz', 'uint32', 'smClockMHz'),
  gpu('nv-south', 1, 'nvidia_smi_temperature_gpu', 'impossible', 'temperatureCelsius'),
  // all-smi.
  gpu('smi-west', 0, 'all_smi_gpu_temperature_celsius', 'int64', 'temperatureCelsius'),
  gpu('smi-west', 0, 'all_smi_gpu_power_consumption_watts', 'float-max', 'powerWatts'),
  gpu('smi-west', 0, 'all_smi_gpu_utilization', 'impossible', 'utilizationPercent'),
  gpu('smi-west', 1, 'all_smi_gpu_frequency_mhz', 'int32', 'smClockMHz'),
  gpu('smi-west', 1, 'all_smi_gpu_memory_used_bytes', 'inf', 'memoryUsedMiB', TOTAL),
  // furiosa-metrics-exporter and rbln-metrics-exporter.
  npu(0, 'furiosa_npu_hw_temperature', 'int64', 'temperatureCelsius', { label: 'peak' }),
  npu(0, 'furiosa_npu_hw_temperature', 'impossible', 'ambientTemperatureCelsius', { label: 'ambient' }),
  npu(0, 'furiosa_npu_core_utilization', 'nan', 'utilizationPercent'),
  npu(1, 'RBLN_DEVICE_STATUS:TEMPERATURE', 'uint32', 'temperatureCelsius'),
  npu(1, 'RBLN_DEVICE_STATUS:CARD_POWER', 'fp64', 'powerWatts'),
  npu(1, 'RBLN_DEVICE_STATUS:DRAM_USED', 'int32', 'memoryUsedMiB'),
  npu(1, 'RBLN_DEVICE_STATUS:UTILIZATION', 'int64', 'utilizationPercent'),
];
const FIRST_CASE = at(CASES, 0, 'blank case');

/** The blank values as they could surface in a JSON answer (Prometheus renders int64 blanks as 2^63). */
const BLANK_NUMBERS = [
  /922337203685477\d*/,
  /214748363\d/,
  /4294967295/,
  /140737488355\d*/,
  /e\+?38/i,
  /-100000\b/,
];

const GPU_FIELDS = `id uuid cluster migInstanceId utilizationPercent memoryCopyUtilizationPercent memoryUsedMiB memoryTotalMiB
  powerWatts powerLimitWatts temperatureCelsius smClockMHz energyJoules graphicsEngineActivePercent`;
const QUALITY = 'dataQuality { status nullFields { field reason } }';
const NPU_FIELDS = `id uuid cluster utilizationPercent memoryUsedMiB memoryTotalMiB powerWatts temperatureCelsius
  ambientTemperatureCelsius`;

/** The reason each blank form is refused with. */
const REASON: Readonly<Record<BlankForm, string>> = {
  int64: 'DCGM_BLANK',
  int32: 'DCGM_BLANK',
  uint32: 'DCGM_BLANK',
  fp64: 'DCGM_BLANK',
  'float-max': 'DCGM_BLANK',
  nan: 'NOT_A_NUMBER',
  inf: 'NOT_A_NUMBER',
  impossible: 'OUT_OF_RANGE',
};
/** GraphQL fields whose sample field (the name a refusal carries) differs. */
const SAMPLE_FIELD: Readonly<Record<string, string>> = { graphicsEngineActivePercent: 'grEngineActiveRatio' };

type Row = Record<string, unknown> & { id: string; cluster: string };
type Conn = { edges: { node: Row }[] };

const RATE_WINDOW_SECONDS = 8;

describe('blank, NaN and impossible readings through a real Prometheus scraping the simulator', () => {
  let control: RunningFleetSim;
  const stack = useStack(
    scenario,
    [
      { name: 'dcgm-east', shape: 'exported' },
      { name: 'nv-south', shape: 'plain' },
      { name: 'smi-west', shape: 'plain' },
    ],
    {
      CACHE_TTL_REALTIME_SECONDS: '0',
      ANALYZER_ENABLED: 'false',
      RATE_LIMIT_PER_MINUTE: '100000',
      // Short, so a counter can sit on its blank for a whole rate window within the suite.
      POWER_RATE_WINDOW_SECONDS: String(RATE_WINDOW_SECONDS),
      IPMI_BMC_NODE_MAP: JSON.stringify(bmcNodeMap(new FleetModel(scenario))),
    },
    { closeFirst: () => control?.close() },
  );

  /** The model's GPU row keys (uuid or uuid/instance) and NPU uuids of a cluster, in listing order. */
  const deviceOf = (c: BlankCase): { id: string; uuid: string; migInstanceId?: string } => {
    if (c.kind === 'npu') {
      const npu = at(stack.model.npus(c.cluster), c.device, `simulated NPU of ${c.cluster}`);
      return { id: npu.uuid, uuid: npu.uuid };
    }
    const gpu = at(stack.model.gpus(c.cluster), c.device, `simulated GPU of ${c.cluster}`);
    return {
      id: gpu.migInstanceId ? `${gpu.uuid}/${gpu.migInstanceId}` : gpu.uuid,
      uuid: gpu.uuid,
      migInstanceId: gpu.migInstanceId,
    };
  };

  async function blank(c: BlankCase): Promise<void> {
    const { uuid, migInstanceId } = deviceOf(c);
    const res = await fetch(`${control.url}/control/blank`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ field: c.metric, uuid, migInstanceId, labels: c.labels, value: c.form }),
    });
    expect(res.status).toBe(204);
  }

  const devices = async (): Promise<{ text: string; rows: Map<string, Row> }> => {
    const res = await gql<{ gpus: Conn; npus: Conn }>(
      stack.url,
      `{ gpus(first: 1000) { edges { node { ${GPU_FIELDS} ${QUALITY} } } }
         npus(first: 1000) { edges { node { ${NPU_FIELDS} ${QUALITY} } } } }`,
    );
    expect(res.errors).toBeUndefined();
    const rows = new Map([...res.data!.gpus.edges, ...res.data!.npus.edges].map((e) => [e.node.id, e.node]));
    return { text: JSON.stringify(res.data), rows };
  };

  beforeAll(async () => {
    // The control API of a simulator serving the same model as the scraped ones.
    control = await startFleetSim({ model: stack.model, port: 0 });
    for (const c of CASES) await blank(c);
    for (const rule of powerRules()) await post('/control/blank', rule);
    blankedAt = Date.now();
  });
  let blankedAt = 0;

  async function post(path: string, body: unknown): Promise<void> {
    const res = await fetch(`${control.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(204);
  }

  /** One IPMI sensor of each kind blanked on the dcgm cluster's GPU node, DCMI and two Kepler node families. */
  const POWER_NODE = 'east-gpu-01';
  const blankedSensors = () => {
    const sensors = fleetPower(stack.model).ipmiSensorsAt('dcgm-east', POWER_NODE);
    const first = (type: string) => sensors.find((x) => x.type === type)!;
    return [
      { sensor: first('temperature'), metric: 'ipmi_temperature_celsius', form: 'int64' },
      { sensor: first('fan'), metric: 'ipmi_fan_speed_rpm', form: 'impossible' },
      { sensor: first('voltage'), metric: 'ipmi_voltage_volts', form: 'nan' },
      { sensor: first('power'), metric: 'ipmi_power_watts', form: 'uint32' },
    ] as const;
  };
  const powerRules = () => [
    ...blankedSensors().map(({ sensor, metric, form }) => ({
      field: metric,
      node: POWER_NODE,
      labels: { name: sensor.name },
      value: form,
    })),
    { field: 'ipmi_dcmi_power_consumption_watts', node: POWER_NODE, value: 'fp64' },
    { field: 'kepler_node_cpu_usage_ratio', node: POWER_NODE, value: 'impossible' },
    { field: 'kepler_node_cpu_joules_total', node: POWER_NODE, labels: { zone: 'dram' }, value: 'int64' },
  ];

  it('serves every blank form of every GPU and NPU family as null, and the device’s other fields as read', async () => {
    // Poll until Prometheus has scraped the blanks (and the API has had its chance to refuse them).
    const answer = await pollUntil(
      'every blank scraped',
      async () => {
        const a = await devices();
        const scraped = CASES.every((c) => {
          const row = a.rows.get(deviceOf(c).id);
          return row !== undefined && row[c.field] === null;
        });
        return scraped ? a : undefined;
      },
      { timeoutMs: 20000 },
    ).catch(async () => devices());

    for (const c of CASES) {
      const row = answer.rows.get(deviceOf(c).id);
      expect({ case: `${c.metric} ${c.form}`, value: row?.[c.field] }).toEqual({
        case: `${c.metric} ${c.form}`,
        value: null,
      });
      for (const d of c.derived ?? []) expect(row?.[d]).toBeNull();
      // …and says why: the field (as the sample names it) with the reason, the device PARTIAL.
      const quality = row?.dataQuality as { status: string; nullFields: { field: string; reason: string }[] };
      expect({ case: `${c.metric} ${c.form}`, status: quality.status }).toEqual({
        case: `${c.metric} ${c.form}`,
        status: 'PARTIAL',
      });
      expect(quality.nullFields).toContainEqual({
        field: SAMPLE_FIELD[c.field] ?? c.field,
        reason: REASON[c.form],
      });
    }
    for (const pattern of BLANK_NUMBERS) expect(answer.text).not.toMatch(pattern);
    // Fields without a blank keep their readings: the refusal is per field, not per device.
    const gpu0 = answer.rows.get(deviceOf(FIRST_CASE).id)!;
    expect(gpu0.memoryUsedMiB).toBe(at(stack.model.gpus('dcgm-east'), 0, 'simulated GPU').memoryUsedMiB);
    const rblnTruth = at(stack.model.npus('dcgm-east'), 1, 'simulated NPU');
    const rbln = answer.rows.get(rblnTruth.uuid)!;
    expect(rbln.memoryTotalMiB).toBe(rblnTruth.memoryTotalMiB ?? null);
  });

  it('answers gpu(uuid) for a blanked GPU and MIG instance with the blanked fields null', async () => {
    for (const index of [0, 2]) {
      const { id } = deviceOf({ ...FIRST_CASE, device: index });
      const res = await gql<{ gpu: Row }>(stack.url, `query($u: ID!) { gpu(uuid: $u) { ${GPU_FIELDS} } }`, {
        u: id,
      });
      expect(res.errors).toBeUndefined();
      for (const c of CASES.filter(
        (x) => x.kind === 'gpu' && x.cluster === 'dcgm-east' && x.device === index,
      ))
        expect(res.data!.gpu[c.field]).toBeNull();
      for (const pattern of BLANK_NUMBERS) expect(JSON.stringify(res.data)).not.toMatch(pattern);
    }
  });

  it('serves blanked IPMI sensors with a null value (still listed), the others as the BMC read them', async () => {
    type Sensor = { cluster: string; node: string; name: string; type: string; value: number | null };
    const q = `query($f: IpmiSensorFilterInput) { ipmiSensors(filter: $f) { cluster node name type value } }`;
    const blanked = blankedSensors();
    const sensors = await pollUntil('blanked sensors scraped', async () => {
      const res = await gql<{ ipmiSensors: Sensor[] }>(stack.url, q, { f: { cluster: 'dcgm-east' } });
      expect(res.errors).toBeUndefined();
      const mine = res.data!.ipmiSensors.filter((x) => x.node === POWER_NODE);
      const nulls = blanked.every(({ sensor }) => mine.find((x) => x.name === sensor.name)?.value === null);
      return nulls ? res.data!.ipmiSensors : undefined;
    }).catch(
      async () =>
        (await gql<{ ipmiSensors: Sensor[] }>(stack.url, q, { f: { cluster: 'dcgm-east' } })).data!
          .ipmiSensors,
    );
    for (const { sensor, metric, form } of blanked)
      expect({
        metric,
        form,
        value: sensors.find((x) => x.node === POWER_NODE && x.name === sensor.name)?.value,
      }).toEqual({
        metric,
        form,
        value: null,
      });
    const truth = fleetPower(stack.model).ipmiSensorsAt('dcgm-east', POWER_NODE);
    const names = new Set(blanked.map((b) => b.sensor.name));
    for (const t of truth.filter((x) => !names.has(x.name)))
      expect(sensors.find((x) => x.node === POWER_NODE && x.name === t.name)?.value).toBe(t.value);
    for (const pattern of BLANK_NUMBERS) expect(JSON.stringify(sensors)).not.toMatch(pattern);
  });

  it('serves the blanked node readings (DCMI, Kepler usage and DRAM) as null, and no blank in node power', async () => {
    type ApiNode = {
      cluster: string;
      name: string;
      cpuUtilizationPercent: number | null;
      powerWatts: number | null;
      power: Record<string, number | null>;
    };
    const q = `{ nodes(first: 100) { edges { node { cluster name cpuUtilizationPercent powerWatts
      power { cpuWatts dramWatts gpuWatts npuWatts otherWatts platformWatts serverInputWatts } } } } }`;
    const read = async () => {
      const res = await gql<{ nodes: { edges: { node: ApiNode }[] } }>(stack.url, q);
      expect(res.errors).toBeUndefined();
      return res.data!.nodes.edges.map((e) => e.node);
    };
    const nodes = await pollUntil('blanked node readings scraped', async () => {
      const list = await read();
      const n = list.find((x) => x.cluster === 'dcgm-east' && x.name === POWER_NODE)!;
      return n.cpuUtilizationPercent === null &&
        n.power.serverInputWatts === null &&
        n.power.dramWatts === null
        ? list
        : undefined;
    }).catch(read);
    const n = nodes.find((x) => x.cluster === 'dcgm-east' && x.name === POWER_NODE)!;
    expect({
      cpuUtilizationPercent: n.cpuUtilizationPercent,
      serverInputWatts: n.power.serverInputWatts,
      dramWatts: n.power.dramWatts,
      // "Everything else" is server input − the parts: with both refused there is no honest number for it.
      otherWatts: n.power.otherWatts,
    }).toEqual({ cpuUtilizationPercent: null, serverInputWatts: null, dramWatts: null, otherWatts: null });
    expect(n.power.cpuWatts).toEqual(expect.any(Number));
    for (const pattern of BLANK_NUMBERS) expect(JSON.stringify(nodes)).not.toMatch(pattern);
  });

  it('keeps a Kepler counter stuck at its blank null once the whole rate window holds only the blank (not 0 W)', async () => {
    const q = `{ nodes(filter: { cluster: "dcgm-east" }, first: 100) { edges { node { name power { dramWatts cpuWatts } } } } }`;
    type Row = { name: string; power: { dramWatts: number | null; cpuWatts: number | null } };
    // Past the window (plus two scrapes), rate() over a counter that never moves is 0: that must not be served.
    await pollUntil(
      'a whole rate window of blanks',
      async () => (Date.now() - blankedAt > (RATE_WINDOW_SECONDS + 3) * 1000 ? true : undefined),
      {
        timeoutMs: (RATE_WINDOW_SECONDS + 30) * 1000,
        intervalMs: 500,
      },
    );
    const res = await gql<{ nodes: { edges: { node: Row }[] } }>(stack.url, q);
    expect(res.errors).toBeUndefined();
    const n = res.data!.nodes.edges.map((e) => e.node).find((x) => x.name === POWER_NODE)!;
    expect(n.power.dramWatts).toBeNull();
    expect(n.power.cpuWatts).toEqual(expect.any(Number));
  });

  it('writes the blanked GPU fields as empty cells in the CSV, JSON, Parquet and Arrow exports of gpus and metrics', async () => {
    const download = async (path: string): Promise<Buffer> => {
      const res = await fetch(`${stack.url}${path}`);
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer());
    };
    const column = (field: string): string => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
    const COLUMN_OF: Record<string, string> = {
      smClockMHz: 'sm_clock_mhz',
      memoryUsedMiB: 'memory_used_mib',
      graphicsEngineActivePercent: 'graphics_engine_active_percent',
    };
    const gpuCases = CASES.filter((c) => c.kind === 'gpu');
    const keyOf = (r: Record<string, unknown>): string =>
      r.mig_instance_id ? `${String(r.gpu_uuid)}/${String(r.mig_instance_id)}` : String(r.gpu_uuid);
    const expectEmpty = (
      rows: readonly Record<string, unknown>[],
      empty: unknown[],
      what: string,
      cases: readonly BlankCase[] = gpuCases,
    ) => {
      for (const c of cases) {
        const id = deviceOf(c).id;
        const col = COLUMN_OF[c.field] ?? column(c.field);
        const mine = rows.filter((r) => keyOf(r) === id);
        expect({ what, case: `${c.metric} ${c.form}`, rows: mine.length > 0 }).toEqual({
          what,
          case: `${c.metric} ${c.form}`,
          rows: true,
        });
        for (const r of mine)
          expect({ what, id, col, value: empty.includes(r[col]) ? 'empty' : r[col] }).toEqual({
            what,
            id,
            col,
            value: 'empty',
          });
      }
    };
    // Make sure the blanks are being served before reading (the first test may not have run).
    await pollUntil('every blank scraped', async () => {
      const a = await devices();
      return CASES.every((c) => a.rows.get(deviceOf(c).id)?.[c.field] === null) ? true : undefined;
    });

    const csvText = (await download('/api/v1/export/gpus?format=csv')).toString('utf8');
    for (const pattern of BLANK_NUMBERS) expect(csvText).not.toMatch(pattern);
    const csvRows = readCsv(Buffer.from(csvText));
    expectEmpty(csvRows, [''], 'gpus csv');
    // The row says why its cells are empty.
    const gpu0 = csvRows.find((r) => keyOf(r) === deviceOf(FIRST_CASE).id)!;
    expect(gpu0.invalid_readings).toContain('temperatureCelsius=DCGM_BLANK');
    expect(gpu0.invalid_readings).toContain('smClockMHz=NOT_A_NUMBER');
    const jsonText = (await download('/api/v1/export/gpus?format=json')).toString('utf8');
    for (const pattern of BLANK_NUMBERS) expect(jsonText).not.toMatch(pattern);
    expectEmpty(JSON.parse(jsonText) as Record<string, unknown>[], [null], 'gpus json');

    // GPU metric series are read from dcgm-exporter only.
    const dcgmCases = gpuCases.filter((c) => c.cluster === 'dcgm-east');
    // Three steps, all after every blank was seen (steps before it rightly hold the values served then).
    const since = Math.ceil(Date.now() / 1000) + 1;
    await pollUntil('three steps after the blanks', async () =>
      Date.now() / 1000 >= since + 3 ? true : undefined,
    );
    const range = `from=${since}&to=${since + 2}&step=1`;
    const ndjson = (await download(`/api/v1/export/metrics?format=ndjson&${range}`)).toString('utf8');
    for (const pattern of BLANK_NUMBERS) expect(ndjson).not.toMatch(pattern);
    expectEmpty(readNdjson(Buffer.from(ndjson)), [null, undefined], 'metrics ndjson', dcgmCases);
    const parquet = await readParquet(await download(`/api/v1/export/metrics?format=parquet&${range}`));
    expectEmpty(parquet.rows, [null, undefined], 'metrics parquet', dcgmCases);
    const arrow = readArrow(await download(`/api/v1/export/metrics?format=arrow&${range}`));
    expectEmpty(arrow.rows, [null, undefined], 'metrics arrow', dcgmCases);
  });

  it('keeps blanks out of live power snapshots over graphql-ws', async () => {
    const ws = connectWs(stack.url);
    try {
      await ws.connected;
      const sub = ws.subscribe(
        `subscription { node: powerUpdated(groupBy: NODE, intervalSeconds: 1) { totalWatts groups { key watts } } }`,
      );
      const other = ws.subscribe(
        `subscription { type: powerUpdated(groupBy: RESOURCE_TYPE, intervalSeconds: 1) { totalWatts groups { key watts } } }`,
      );
      await pollUntil('two snapshots of each grouping', async () =>
        sub.events.length >= 2 && other.events.length >= 2 ? true : undefined,
      );
      const events = [...sub.events, ...other.events];
      expect(events.flatMap((e) => e.errors ?? [])).toEqual([]);
      for (const pattern of BLANK_NUMBERS) expect(JSON.stringify(events)).not.toMatch(pattern);
      const watts = events.flatMap((e) =>
        Object.values(e.data ?? {}).flatMap((v) => {
          const snap = v as { totalWatts: number; groups: { watts: number }[] };
          return [snap.totalWatts, ...snap.groups.map((g) => g.watts)];
        }),
      );
      expect(watts.length).toBeGreaterThan(2);
      for (const w of watts) expect(w).toBeLessThan(100_000);
    } finally {
      await ws.dispose();
    }
  });

  it('keeps blanks out of power time series and the power export', async () => {
    const to = new Date(Math.floor(Date.now() / 1000) * 1000 - 1000);
    const from = new Date(to.getTime() - 5000);
    const res = await gql(
      stack.url,
      `query($r: TimeRangeInput!) { node: powerTimeseries(groupBy: NODE, range: $r) { series { key points { watts } } }
        type: powerTimeseries(groupBy: RESOURCE_TYPE, range: $r) { series { key points { watts } } } }`,
      { r: { from: from.toISOString(), to: to.toISOString(), stepSeconds: 1 } },
    );
    expect(res.errors).toBeUndefined();
    for (const pattern of BLANK_NUMBERS) expect(JSON.stringify(res.data)).not.toMatch(pattern);
    const power = await fetch(
      `${stack.url}/api/v1/export/power?format=csv&from=${from.toISOString()}&to=${to.toISOString()}&step=1`,
    );
    expect(power.status).toBe(200);
    const text = await power.text();
    for (const pattern of BLANK_NUMBERS) expect(text).not.toMatch(pattern);
  });
});
