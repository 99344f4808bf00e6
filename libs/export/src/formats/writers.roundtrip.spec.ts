import { PassThrough } from 'node:stream';
import {
  readArrow,
  readCsv,
  readNdjson,
  readParquet,
  readPdfText,
  readXlsx,
} from '../../../../test/harness/export-readers';
import { type Cell, type Column, type Row } from '../table';
import { ArrowStreamWriter } from './arrow.writer';
import { CsvWriter } from './csv.writer';
import type { ExportWriter } from './export-writer';
import { JsonArrayWriter, NdjsonWriter } from './json.writer';
import { ParquetWriter } from './parquet.writer';
import { pdfCellText, PdfWriter } from './pdf.writer';
import { XlsxWriter } from './xlsx.writer';

const COLUMNS: readonly Column[] = [
  { name: 'timestamp', type: 'timestamp' },
  { name: 'namespace', type: 'string' },
  { name: 'gpu_index', type: 'int' },
  { name: 'power_watts', type: 'float' },
];

const T0 = Date.UTC(2025, 0, 2, 3, 4, 5, 678);
// The values RFC 4180 and every other format must survive, in one place.
const HOSTILE = ['a,b', 'say "hi"', 'line1\nline2', 'cr\r\nlf', 'Zürich 東京 🚀', '  padded  ', "=1+1 'x'"];

function rows(count: number, strings: readonly string[] = HOSTILE): Row[] {
  return Array.from(
    { length: count },
    (_, i): Row => [
      new Date(T0 + i * 60_000),
      i % 5 === 4 ? null : strings[i % strings.length]!,
      i,
      i % 4 === 3 ? null : 100 + i / 8,
    ],
  );
}

async function* batches(all: readonly Row[], size: number): AsyncGenerator<readonly Row[]> {
  for (let i = 0; i < all.length; i += size) yield all.slice(i, i + size);
}

async function produce(writer: ExportWriter, all: readonly Row[], batchSize = 3): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (c: Buffer) => chunks.push(c));
  const meta = { title: 'Round trip', subtitle: 'test' };
  await writer.write(batches(all, batchSize), {
    columns: COLUMNS,
    sink,
    signal: new AbortController().signal,
    meta,
  });
  return Buffer.concat(chunks);
}

/** The source rows as the text-like formats carry them: ISO times, numbers, null for missing. */
function asJson(r: Row): Record<string, string | number | null> {
  return {
    timestamp: (r[0] as Date).toISOString(),
    namespace: r[1] as string | null,
    gpu_index: r[2] as number,
    power_watts: r[3] as number | null,
  };
}

describe('export writers read back by independent readers', () => {
  const source = rows(23);

  it('CSV: header with units, RFC 4180 quoting, LF or CRLF, parsed back by csv-parse', async () => {
    for (const lineEnding of ['lf', 'crlf'] as const) {
      const bytes = await produce(new CsvWriter(lineEnding), source);
      const text = bytes.toString('utf8');
      expect(
        text.startsWith(`timestamp,namespace,gpu_index,power_watts${lineEnding === 'crlf' ? '\r\n' : '\n'}`),
      ).toBe(true);
      expect(text).toContain('"say ""hi"""');
      const back = readCsv(bytes);
      expect(back).toEqual(
        source.map((r) => {
          const j = asJson(r);
          return {
            timestamp: j.timestamp,
            namespace: j.namespace ?? '',
            gpu_index: String(j.gpu_index),
            power_watts: j.power_watts === null ? '' : String(j.power_watts),
          };
        }),
      );
    }
  });

  it('JSON: one array of row objects; NDJSON: one object per line', async () => {
    expect(JSON.parse((await produce(new JsonArrayWriter(), source)).toString('utf8'))).toEqual(
      source.map(asJson),
    );
    expect(readNdjson(await produce(new NdjsonWriter(), source))).toEqual(source.map(asJson));
    expect(JSON.parse((await produce(new JsonArrayWriter(), [])).toString('utf8'))).toEqual([]);
  });

  it('Arrow IPC stream: typed columns, one record batch per row batch, read back by apache-arrow', async () => {
    const back = readArrow(await produce(new ArrowStreamWriter(), source, 10));
    expect(back.fields).toEqual([
      'timestamp:Timestamp<MILLISECOND, UTC>',
      'namespace:Utf8',
      'gpu_index:Int32',
      'power_watts:Float64',
    ]);
    expect(back.batches).toBe(3);
    expect(back.rows).toEqual(source.map((r) => ({ ...asJson(r), timestamp: (r[0] as Date).getTime() })));
    expect(readArrow(await produce(new ArrowStreamWriter(), [])).rows).toEqual([]);
  });

  it('Parquet: row groups of the configured size, read back by hyparquet', async () => {
    const back = await readParquet(await produce(new ParquetWriter(10), source, 5));
    expect(back.rowGroups).toBe(3);
    expect(back.rows).toEqual(source.map(asJson));
    const empty = await readParquet(await produce(new ParquetWriter(), []));
    expect(empty.rows).toEqual([]);
  });

  it('xlsx: header row and typed cells, read back by the exceljs reader', async () => {
    const sheets = await readXlsx(await produce(new XlsxWriter(), source));
    const [header, ...body] = sheets.get('Round trip')!;
    expect(header).toEqual(['timestamp', 'namespace', 'gpu_index', 'power_watts']);
    expect(body).toHaveLength(source.length);
    body.forEach((cells, i) => {
      const [ts, ns, index, power] = source[i] as [Date, string | null, number, number | null];
      expect((cells[0] as Date).getTime()).toBe(ts.getTime());
      // XML normalises CR LF and lone CR to LF when parsed (XML 1.0 §2.11); every other character is kept.
      expect(cells[1] ?? null).toBe(ns === null ? null : ns.replace(/\r\n?/g, '\n'));
      expect(cells[2]).toBe(index);
      expect(cells[3] ?? null).toBe(power);
    });
  });

  it('PDF: every cell of every row is in the text pdftotext extracts', async () => {
    // Roboto (shipped with pdfmake) has Latin, Greek and Cyrillic glyphs; CJK and emoji are not in the font.
    const strings = ['a,b', 'say "hi"', 'line1\nline2', 'Zürich – Москва', 'ÆØÅ æøå ß'];
    const pdfRows = rows(120, strings);
    const { text, pages } = await readPdfText(await produce(new PdfWriter(1000), pdfRows));
    expect(pages).toBeGreaterThan(1);
    const squashed = text.replace(/\s+/g, '');
    for (const row of pdfRows)
      for (const cell of row as Cell[]) expect(squashed).toContain(pdfCellText(cell).replace(/\s+/g, ''));
    expect(text).toContain('power_watts');
  });

  it('PDF refuses more rows than its cap before writing a byte', async () => {
    const sink = new PassThrough();
    let written = 0;
    sink.on('data', (c: Buffer) => (written += c.length));
    await expect(
      new PdfWriter(10).write(batches(rows(11), 5), {
        columns: COLUMNS,
        sink,
        signal: new AbortController().signal,
        meta: { title: 't', subtitle: 's' },
      }),
    ).rejects.toMatchObject({ code: 'BAD_USER_INPUT', details: { argument: 'format' } });
    expect(written).toBe(0);
  });
});
