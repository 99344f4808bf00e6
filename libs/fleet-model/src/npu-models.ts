/**
 * The NPU models the simulator knows. Labels are what the vendors' exporters print (METRICS.md §4): Furiosa's `arch`
 * (`rngd`, `warboy`), Rebellions' `card` marketing name and PCI `deviceID`. Memory, power and clock figures are
 * plausible published values, used only to shape simulated readings.
 */
/** Google's TPUs have no exporter of their own here: only all-smi reports them (npuExporter: all-smi). */
export type NpuVendor = 'furiosa' | 'rebellions' | 'google';

export interface NpuModelSpec {
  /** What the API reports as the model: Furiosa's arch in its product spelling, Rebellions' card label. */
  readonly name: string;
  readonly vendor: NpuVendor;
  /** furiosa-metrics-exporter `arch` label. */
  readonly arch?: string;
  /** rbln-metrics-exporter `card` and `deviceID` labels. */
  readonly card?: string;
  readonly deviceId?: string;
  /** Processing elements (Furiosa reports utilisation per core). */
  readonly cores: number;
  readonly memoryTotalMiB: number;
  readonly tdpWatts: number;
  readonly coreClockMHz: number;
  /** The Kubernetes extended resource one card is requested as. */
  readonly resource: string;
  readonly driverVersion: string;
  readonly firmwareVersion: string;
}

export const NPU_MODELS: readonly NpuModelSpec[] = [
  {
    name: 'RNGD',
    vendor: 'furiosa',
    arch: 'rngd',
    cores: 8,
    memoryTotalMiB: 49152,
    tdpWatts: 180,
    coreClockMHz: 1000,
    resource: 'furiosa.ai/rngd',
    driverVersion: '2025.2.0+1c7f3a2',
    firmwareVersion: '2025.2.0+8a1e0bd',
  },
  {
    name: 'Warboy',
    vendor: 'furiosa',
    arch: 'warboy',
    cores: 2,
    memoryTotalMiB: 16384,
    tdpWatts: 60,
    coreClockMHz: 2000,
    resource: 'furiosa.ai/warboy',
    driverVersion: '2025.2.0+1c7f3a2',
    firmwareVersion: '2025.2.0+8a1e0bd',
  },
  {
    name: 'RBLN-CA12',
    vendor: 'rebellions',
    card: 'RBLN-CA12',
    deviceId: '1120',
    cores: 8,
    memoryTotalMiB: 16384,
    tdpWatts: 130,
    coreClockMHz: 1500,
    resource: 'rebellions.ai/ATOM',
    driverVersion: '2.0.1',
    firmwareVersion: '2.0.1',
  },
  {
    name: 'RBLN-CA25',
    vendor: 'rebellions',
    card: 'RBLN-CA25',
    deviceId: '1250',
    cores: 8,
    memoryTotalMiB: 65536,
    tdpWatts: 350,
    coreClockMHz: 1500,
    resource: 'rebellions.ai/ATOM',
    driverVersion: '2.0.1',
    firmwareVersion: '2.0.1',
  },
  {
    name: 'TPU v5e',
    vendor: 'google',
    cores: 1,
    memoryTotalMiB: 16384,
    tdpWatts: 170,
    coreClockMHz: 1500,
    resource: 'google.com/tpu',
    driverVersion: '0.1.0',
    firmwareVersion: '',
  },
];

export function findNpuModel(name: string): NpuModelSpec | undefined {
  return NPU_MODELS.find((m) => m.name === name);
}
