import { BlankReadings, blankText } from './blank-readings';
import { defaultScenario } from './default-scenario';
import { FleetModel } from './fleet-model';

const DCGM = [
  '# HELP DCGM_FI_DEV_GPU_TEMP GPU temperature (in C).',
  '# TYPE DCGM_FI_DEV_GPU_TEMP gauge',
  'DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-a",Hostname="n1"} 41',
  'DCGM_FI_DEV_GPU_TEMP{gpu="1",UUID="GPU-b",Hostname="n1"} 42',
  'DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-c",GPU_I_PROFILE="1g.10gb",GPU_I_ID="7",Hostname="n2"} 43',
  'DCGM_FI_DEV_POWER_USAGE{gpu="0",UUID="GPU-a",Hostname="n1"} 67.351000',
  '',
].join('\n');

describe('BlankReadings', () => {
  it('serves every body unchanged while no rule is set', () => {
    expect(new BlankReadings().apply(DCGM, { cluster: 'c' })).toBe(DCGM);
  });

  it('rewrites one family of one device, MIG instance or GPU, and nothing else', () => {
    const blanks = new BlankReadings();
    blanks.set({ metric: 'DCGM_FI_DEV_GPU_TEMP', uuid: 'GPU-a', form: 'int64' });
    blanks.set({ metric: 'DCGM_FI_DEV_GPU_TEMP', uuid: 'GPU-c', migInstanceId: '7', form: 'nan' });
    const out = blanks.apply(DCGM, { cluster: 'c' }).split('\n');
    expect(out[2]).toBe('DCGM_FI_DEV_GPU_TEMP{gpu="0",UUID="GPU-a",Hostname="n1"} 9223372036854775794');
    expect(out[3]).toBe('DCGM_FI_DEV_GPU_TEMP{gpu="1",UUID="GPU-b",Hostname="n1"} 42');
    expect(out[4]).toMatch(/GPU_I_ID="7".* NaN$/);
    expect(out[5]).toMatch(/ 67\.351000$/);
  });

  it('matches nvidia_gpu_exporter uuids, IPMI sensors by target node and label, and clears per device', () => {
    const blanks = new BlankReadings();
    blanks.set({ metric: 'nvidia_smi_temperature_gpu', uuid: 'GPU-ABC', form: 'uint32' });
    blanks.set({
      metric: 'ipmi_temperature_celsius',
      node: 'n1',
      labels: { name: 'Temp 1' },
      form: 'impossible',
    });
    expect(blanks.apply('nvidia_smi_temperature_gpu{uuid="abc"} 40', { cluster: 'c' })).toBe(
      'nvidia_smi_temperature_gpu{uuid="abc"} 4294967295',
    );
    const ipmi =
      'ipmi_temperature_celsius{id="1",name="Temp 1"} 30\nipmi_temperature_celsius{id="2",name="Temp 2"} 31';
    expect(blanks.apply(ipmi, { cluster: 'c', node: 'n1' })).toBe(
      'ipmi_temperature_celsius{id="1",name="Temp 1"} 1000\nipmi_temperature_celsius{id="2",name="Temp 2"} 31',
    );
    expect(blanks.apply(ipmi, { cluster: 'c', node: 'n2' })).toBe(ipmi);
    blanks.clear({ metric: 'ipmi_temperature_celsius', node: 'n1', labels: { name: 'Temp 1' } });
    expect(blanks.list()).toHaveLength(1);
  });

  it('refuses a rule without a device or with an unknown form', () => {
    const blanks = new BlankReadings();
    expect(() => blanks.set({ metric: 'X', form: 'int64' })).toThrow(/device/);
    expect(() => blanks.set({ metric: 'X', uuid: 'u', form: 'huge' as never })).toThrow(/value must be/);
  });

  it('picks an impossible value the family can never hold', () => {
    expect(blankText('impossible', 'DCGM_FI_DEV_GPU_TEMP')).toBe('1000');
    expect(blankText('impossible', 'kepler_node_cpu_watts')).toBe('-100000');
  });

  it('takes blanks from the scenario (`blanks:`) and refuses a bad one with the others', () => {
    const rule = {
      metric: 'DCGM_FI_DEV_GPU_TEMP',
      node: 'east-gpu-01',
      labels: { gpu: '0' },
      form: 'int32',
    } as const;
    const model = new FleetModel({ ...defaultScenario(), blanks: [rule] });
    expect(model.blanks.list()).toEqual([rule]);
    expect(() => new FleetModel({ ...defaultScenario(), blanks: [{ metric: 'X', form: 'int64' }] })).toThrow(
      /blanks\[0\]: a blank rule needs a device/,
    );
  });
});
