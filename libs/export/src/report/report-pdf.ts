import type { Content, TableCell } from 'pdfmake/interfaces';
import type { Cell } from '../table';
import { renderSvg } from './charts';
import type { HumanColumn, HumanTable, ReportView } from './report-view';
import { formatNumber, formatTime, sensibleDigits } from './units';

const UNBREAKABLE_ROWS = 25;

/** Usable width of a portrait A4 page with the writer's margins, pt. */
export const PAGE_WIDTH_PT = 539;

/** A value as a person reads it in this column: thousands separators, the column's decimals, "–" when missing. */
export function humanCellText(cell: Cell, column: HumanColumn): string {
  if (cell === null || cell === '') return cell === '' ? '' : '–';
  if (cell instanceof Date) return formatTime(cell);
  if (typeof cell === 'string') return cell;
  switch (column.kind) {
    case 'count':
      return formatNumber(cell, 0);
    case 'fixed':
      return formatNumber(cell, column.digits ?? 2);
    case 'auto':
      return formatNumber(cell, Number.isInteger(cell) ? 0 : sensibleDigits(cell));
    case 'time':
    case 'text':
      return String(cell);
  }
}

function table(t: HumanTable): Content {
  const body: TableCell[][] = [
    t.columns.map((c) => ({ text: c.title, bold: true, alignment: c.kind === 'text' ? 'left' : 'right' })),
    ...t.rows.map((r) =>
      r.map((cell, i): TableCell => {
        const column = t.columns[i] ?? { title: '', kind: 'text' };
        return { text: humanCellText(cell, column), alignment: column.kind === 'text' ? 'left' : 'right' };
      }),
    ),
  ];
  return {
    table: { headerRows: 1, dontBreakRows: true, body, widths: t.columns.map(() => 'auto') },
    layout: 'lightHorizontalLines',
    fontSize: t.columns.length > 6 ? 7 : 8,
  };
}

/**
 * The report for people: sentences and the definition of idle first, then the charts as vector graphics (pdfmake's
 * `svg` node, drawn by svg-to-pdfkit: paths and text, no bitmap), then the tables.
 */
export function reportPdfContent(view: ReportView): Content[] {
  const content: Content[] = [
    { text: 'In brief', style: 'section' },
    { ul: view.sentences.map((s) => ({ text: s, margin: [0, 0, 0, 3] })), fontSize: 10 },
    { text: 'What idle means here', style: 'section' },
    { text: view.idleDefinition, fontSize: 8, color: '#333333' },
  ];
  for (const chart of view.charts) {
    const width = Math.min(PAGE_WIDTH_PT, chart.spec.width);
    content.push({
      svg: renderSvg(chart.spec),
      width,
      height: (chart.spec.height * width) / chart.spec.width,
      margin: [0, 10, 0, 0],
      unbreakable: true,
    } as Content);
  }
  for (const t of view.tables) {
    const parts: Content[] = [{ text: t.title, style: 'section' }];
    if (t.rows.length) parts.push(table(t));
    if (t.note) parts.push({ text: t.note, italics: true, fontSize: 7, margin: [0, 3, 0, 0] });
    // A short table moves to the next page whole rather than leaving its heading behind.
    content.push({ stack: parts, unbreakable: t.rows.length <= UNBREAKABLE_ROWS });
  }
  return content;
}
