import { type Cell, type ColumnType, type ExportSection, type Row } from '../table';
import { JOULES_PER_KWH } from './units';
import type { HumanKind, HumanTable } from './report-view';

/**
 * One report table written once for both readers: machines get the JSON section (snake_case names, watts, joules),
 * people get the PDF/xlsx table (titles with units, kW, kWh). A column present for one reader only leaves the other
 * side out (`machine` or `human` absent).
 */
export interface DualColumn<T> {
  readonly name?: string;
  readonly type?: ColumnType;
  readonly machine?: (row: T) => Cell;
  readonly title?: string;
  readonly kind?: HumanKind;
  readonly digits?: number;
  readonly human?: (row: T) => Cell;
}

export interface DualTable<T> {
  readonly name: string;
  readonly title: string;
  readonly columns: readonly DualColumn<T>[];
  readonly note?: string;
  /** What people read under the table when it differs from the machine note. */
  readonly humanNote?: string;
}

const machineColumns = <T>(t: DualTable<T>) => t.columns.filter((c) => c.machine && c.name && c.type);
const humanColumns = <T>(t: DualTable<T>) => t.columns.filter((c) => c.human && c.title && c.kind);

export function machineSection<T>(t: DualTable<T>, rows: readonly T[]): ExportSection {
  const columns = machineColumns(t);
  return {
    name: t.name,
    title: t.title,
    columns: columns.map((c) => ({ name: c.name!, type: c.type! })),
    rows: rows.map((r): Row => columns.map((c) => c.machine!(r))),
    ...(t.note === undefined ? {} : { note: t.note }),
  };
}

export function humanTable<T>(t: DualTable<T>, rows: readonly T[]): HumanTable {
  const columns = humanColumns(t);
  return {
    name: t.name,
    title: t.title,
    columns: columns.map((c) => ({
      title: c.title!,
      kind: c.kind!,
      ...(c.digits === undefined ? {} : { digits: c.digits }),
    })),
    rows: rows.map((r): Row => columns.map((c) => c.human!(r))),
    ...((t.humanNote ?? t.note) === undefined ? {} : { note: t.humanNote ?? t.note }),
  };
}

/** A dual table with its rows: one entry of the report, written for machines (JSON) or for people (PDF, xlsx). */
export interface FilledTable {
  machine(): ExportSection;
  human(): HumanTable;
}

export const filled = <T>(t: DualTable<T>, rows: readonly T[]): FilledTable => ({
  machine: () => machineSection(t, rows),
  human: () => humanTable(t, rows),
});

const rounded = (v: number | null | undefined, digits: number): number | null =>
  v === null || v === undefined ? null : Math.round(v * 10 ** digits) / 10 ** digits;
const scaled = (v: number | null | undefined, by: number): number | null =>
  v === null || v === undefined ? null : v / by;

/** A text column for both readers. */
export function textColumn<T>(name: string, title: string, pick: (r: T) => string | null): DualColumn<T> {
  return { name, type: 'string', machine: pick, title, kind: 'text', human: pick };
}

/** A count for both readers. */
export function countColumn<T>(name: string, title: string, pick: (r: T) => number): DualColumn<T> {
  return { name, type: 'int', machine: pick, title, kind: 'count', human: pick };
}

/**
 * A quantity in a machine unit (`name` carries it: `_watts`, `_joules`) shown to people divided by `per` (1000 for
 * kW, 3,600,000 for kWh) with `digits` decimals. `machineDigits` rounds the JSON value; undefined keeps it exact.
 */
export function quantityColumn<T>(
  name: string,
  title: string,
  pick: (r: T) => number | null | undefined,
  human: { readonly per: number; readonly digits: number },
  machineDigits?: number,
): DualColumn<T> {
  return {
    name,
    type: 'float',
    machine: (r) => (machineDigits === undefined ? (pick(r) ?? null) : rounded(pick(r), machineDigits)),
    title,
    kind: 'fixed',
    digits: human.digits,
    human: (r) => scaled(pick(r), human.per),
  };
}

/** Watts for machines (to the milliwatt), kW with two decimals for people. */
export const wattsColumn = <T>(name: string, title: string, pick: (r: T) => number | null | undefined) =>
  quantityColumn(name, title, pick, { per: 1000, digits: 2 }, 3);

/** Joules for machines (to the millijoule), kWh with `digits` decimals for people. */
export const joulesColumn = <T>(
  name: string,
  title: string,
  pick: (r: T) => number | null | undefined,
  digits = 3,
) => quantityColumn(name, title, pick, { per: JOULES_PER_KWH, digits }, 3);
