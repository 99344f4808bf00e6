import * as dual from './dual-table';

interface R {
  readonly name: string;
  readonly n: number;
  readonly joules?: number;
}

const TABLE: dual.DualTable<R> = {
  name: 'things',
  title: 'Things',
  columns: [
    dual.textColumn('name', 'Name', (r) => r.name),
    dual.countColumn('count', 'Count', (r) => r.n),
    dual.quantityColumn('energy_joules', 'Energy (kWh)', (r) => r.joules, { per: 3_600_000, digits: 3 }, 1),
    { name: 'machine_only', type: 'string', machine: () => 'm' },
    { title: 'People only', kind: 'text', human: () => 'h' },
  ],
  note: 'a note',
};
const ROWS: R[] = [
  { name: 'a', n: 2, joules: 7_200_000.04 },
  { name: 'b', n: 0 },
];

describe('a report table written once for machines and people', () => {
  it('gives machines snake_case names, machine units (rounded as asked) and their own columns', () => {
    expect(dual.machineSection(TABLE, ROWS)).toEqual({
      name: 'things',
      title: 'Things',
      columns: [
        { name: 'name', type: 'string' },
        { name: 'count', type: 'int' },
        { name: 'energy_joules', type: 'float' },
        { name: 'machine_only', type: 'string' },
      ],
      rows: [
        ['a', 2, 7_200_000, 'm'],
        ['b', 0, null, 'm'],
      ],
      note: 'a note',
    });
  });

  it('gives people titles with units, the value in the human unit, an empty cell for a missing one', () => {
    const t = dual.humanTable(TABLE, ROWS);
    expect(t.columns).toEqual([
      { title: 'Name', kind: 'text' },
      { title: 'Count', kind: 'count' },
      { title: 'Energy (kWh)', kind: 'fixed', digits: 3 },
      { title: 'People only', kind: 'text' },
    ]);
    // The exact value in kWh (not the rounded machine cell): the writer formats it to the column's decimals.
    expect(t.rows[0]![2]).toBe(7_200_000.04 / 3_600_000);
    expect(t.rows[1]).toEqual(['b', 0, null, 'h']);
  });
});
