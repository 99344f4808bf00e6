import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { tableFromIPC } from 'apache-arrow';
import { parse as parseCsv } from 'csv-parse/sync';
import * as ExcelJS from 'exceljs';

/**
 * Independent readers for exported files: none of them shares code with the writers under test. hyparquet is
 * ESM-only and ts-jest compiles to CommonJS, so it runs in a child node process.
 */
const run = promisify(execFile);
const ROOT = resolve(__dirname, '..', '..');

async function withTempFile<T>(
  bytes: Uint8Array,
  ext: string,
  read: (path: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'kcloud-export-'));
  const path = join(dir, `file.${ext}`);
  try {
    writeFileSync(path, bytes);
    return await read(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function readCsv(bytes: Uint8Array): Record<string, string>[] {
  return parseCsv(Buffer.from(bytes).toString('utf8'), { columns: true, bom: false, relax_quotes: false });
}

export function readNdjson(bytes: Uint8Array): Record<string, unknown>[] {
  return Buffer.from(bytes)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Arrow IPC stream → plain objects (timestamps as epoch milliseconds, as apache-arrow returns them). */
export function readArrow(bytes: Uint8Array): {
  rows: Record<string, unknown>[];
  fields: string[];
  batches: number;
} {
  const table = tableFromIPC(bytes);
  return {
    rows: table.toArray().map((r: { toJSON(): Record<string, unknown> }) => r.toJSON()),
    fields: table.schema.fields.map((f) => `${f.name}:${String(f.type)}`),
    batches: table.batches.length,
  };
}

const HYPARQUET_SCRIPT = `
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
const file = await asyncBufferFromFile(process.argv[1]);
const meta = await parquetMetadataAsync(file);
const rows = await parquetReadObjects({ file });
process.stdout.write(JSON.stringify({ rows, rowGroups: meta.row_groups.length },
  (_, v) => (typeof v === 'bigint' ? Number(v) : v)));
`;

/** Parquet via hyparquet (timestamps come back as ISO strings, i.e. Dates serialised). */
export async function readParquet(
  bytes: Uint8Array,
): Promise<{ rows: Record<string, unknown>[]; rowGroups: number }> {
  return withTempFile(bytes, 'parquet', async (path) => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', HYPARQUET_SCRIPT, path], {
      cwd: ROOT,
      maxBuffer: 512 * 1024 * 1024,
      timeout: 60_000,
    });
    return JSON.parse(stdout) as { rows: Record<string, unknown>[]; rowGroups: number };
  });
}

/** Every sheet as rows of cell values (row 1 = header); exceljs' reader, not its streaming writer. */
export async function readXlsx(bytes: Uint8Array): Promise<Map<string, unknown[][]>> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheets = new Map<string, unknown[][]>();
  workbook.eachSheet((sheet) => {
    const rows: unknown[][] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => {
      // exceljs rows are 1-based: values[0] is always empty.
      rows.push((row.values as unknown[]).slice(1));
    });
    sheets.set(sheet.name, rows);
  });
  return sheets;
}

/** Text of a PDF via poppler's pdftotext, plus its page count (form feeds separate pages). */
export async function readPdfText(bytes: Uint8Array): Promise<{ text: string; pages: number }> {
  return withTempFile(bytes, 'pdf', async (path) => {
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', path, '-'], {
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { text: stdout, pages: stdout.split('\f').filter((p) => p.trim().length > 0).length };
  });
}

/** A section of the JSON report by name, failing with the sections it has when that one is missing. */
export function reportSection<S>(
  report: { readonly sections: Readonly<Record<string, S>> },
  name: string,
): S {
  const section = report.sections[name];
  if (section === undefined)
    throw new Error(`the report has no section ${name} (it has ${Object.keys(report.sections).join(', ')})`);
  return section;
}

/** A CSV dataset's total of `column` at each step (rows summed per timestamp cell). */
export function totalsByTimestamp(
  rows: readonly Record<string, string>[],
  column: string,
): Map<string, number> {
  const totals = new Map<string, number>();
  for (const r of rows) {
    const ts = r.timestamp;
    if (ts === undefined) throw new Error('a CSV row without a timestamp cell');
    totals.set(ts, (totals.get(ts) ?? 0) + Number(r[column]));
  }
  return totals;
}
