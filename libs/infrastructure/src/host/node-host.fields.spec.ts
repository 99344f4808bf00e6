import type { HostSample } from '@kcloud/metrics-source';
import { HOST_FIELDS, hostFieldValue } from './node-host.fields';

const field = (name: string) => HOST_FIELDS.find((f) => f.name === name)!;
const host: HostSample = {
  cluster: 'east',
  node: 'n1',
  cpuCores: [],
  memoryTotalBytes: 400,
  memoryAvailableBytes: 100,
  load1: 0,
  rootFilesystemSizeBytes: 1000,
  rootFilesystemAvailableBytes: 250,
};

describe('HOST_FIELDS', () => {
  it.each([
    ['memoryUtilizationPercent', 75],
    ['memoryTotalBytes', 400],
    ['memoryAvailableBytes', 100],
    ['rootFilesystemUsedPercent', 75],
    ['rootFilesystemSizeBytes', 1000],
    ['rootFilesystemAvailableBytes', 250],
  ])('reads %s from the host sample', (name, value) => {
    expect(hostFieldValue(field(name), host)).toBe(value);
  });

  it('keeps a reading of 0 (an idle node’s load) and answers null, not 0, for an absent reading or host', () => {
    expect(hostFieldValue(field('load1'), host)).toBe(0);
    expect(hostFieldValue(field('load5'), host)).toBeNull();
    expect(hostFieldValue(field('networkReceiveBytesPerSecond'), host)).toBeNull();
    expect(hostFieldValue(field('memoryTotalBytes'), undefined)).toBeNull();
  });

  it('names each field once, with a description', () => {
    const names = HOST_FIELDS.map((f) => f.name);
    expect(new Set(names).size).toBe(names.length);
    expect(HOST_FIELDS.every((f) => f.description.length > 10)).toBe(true);
  });
});
