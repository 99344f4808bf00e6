import { idleAccountingSection, idleAccountingTable } from './idle-accounting-section';

const usage = {
  rows: [
    {
      key: 'research',
      allocatedGpuHours: 2,
      idleGpuHours: 1.5,
      idleEnergyKWh: 0.12345,
      idleCost: 6.123,
      currency: 'EUR',
    },
    { key: 'ml', allocatedGpuHours: 4, idleGpuHours: 0.5, idleEnergyKWh: 0.1, idleCost: 1, currency: 'EUR' },
  ],
  accountedSeconds: 1800,
};

describe('idle accounting in the report', () => {
  it('lists the ledger’s rows per namespace in machine units, with the analyzer’s definition of idle', () => {
    const section = idleAccountingSection(usage, 1800);
    expect(section.name).toBe('idle_accounting');
    expect(section.rows).toEqual([
      ['research', 2, 1.5, 444_420, 6.123, 'EUR'],
      ['ml', 4, 0.5, 360_000, 1, 'EUR'],
    ]);
    expect(section.note).toContain('IDLE_HELD');
    expect(section.note).not.toContain('covers');
  });

  it('says when the ledger covers less than the range', () => {
    expect(idleAccountingSection(usage, 7200).note).toContain('covers 0.5 h of the 2 h range');
    expect(idleAccountingTable(usage, 7200).columns.map((c) => c.title)).toContain('Idle cost (EUR)');
  });
});
