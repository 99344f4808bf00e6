import type * as ExcelJS from 'exceljs';
import { CHART_DATA_COLUMNS, type HumanColumn, type HumanTable, type ReportView } from './report-view';

const TIME_FORMAT = 'yyyy-mm-dd hh:mm';

/** Excel number format of a column: thousands separators and the column's decimals. */
export function numberFormat(column: HumanColumn, value?: number): string | undefined {
  const decimals = (n: number) => (n ? `#,##0.${'0'.repeat(n)}` : '#,##0');
  switch (column.kind) {
    case 'count':
      return decimals(0);
    case 'fixed':
      return decimals(column.digits ?? 2);
    case 'auto':
      return value === undefined || Number.isInteger(value)
        ? decimals(0)
        : decimals(Math.abs(value) >= 100 ? 0 : 2);
    case 'time':
      return TIME_FORMAT;
    case 'text':
      return undefined;
  }
}

/** Wide enough for the title and the longest value (in characters), within reason. */
export function columnWidth(
  column: HumanColumn,
  rows: readonly (readonly unknown[])[],
  index: number,
): number {
  const longest = rows.reduce<number>((w, r) => {
    const v = r[index];
    const len = typeof v === 'string' ? v.length : v instanceof Date ? 16 : typeof v === 'number' ? 12 : 0;
    return Math.max(w, len);
  }, 0);
  return Math.min(60, Math.max(8, column.title.length + 2, longest + 2));
}

/** The sheets of the report workbook: one per table, then the chart data (one row per drawn value). */
export function reportSheets(view: ReportView): readonly HumanTable[] {
  return [
    ...view.tables,
    {
      name: 'chart_data',
      title: 'Chart data',
      columns: CHART_DATA_COLUMNS,
      rows: view.charts.flatMap((c) => c.data),
      note: 'The values each chart of the PDF draws, in the units it draws them.',
    },
  ];
}

/** Column titles, widths and formats of one report sheet (the header row is frozen by the caller). */
export function sheetColumns(table: HumanTable): Partial<ExcelJS.Column>[] {
  return table.columns.map((c, i) => {
    const numFmt = c.kind === 'auto' ? undefined : numberFormat(c);
    return {
      header: c.title,
      key: `c${i}`,
      width: columnWidth(c, table.rows, i),
      ...(numFmt ? { style: { numFmt } } : {}),
    };
  });
}
