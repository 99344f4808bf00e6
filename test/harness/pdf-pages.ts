import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Looks at a PDF as a reader would, through poppler only: pages as grey pixels (pdftoppm, parsed here: PGM is a
 * header and raw bytes), words with their boxes (pdftotext -bbox) and embedded bitmaps (pdfimages -list).
 */
const run = promisify(execFile);

export interface GrayPage {
  readonly width: number;
  readonly height: number;
  /** One byte per pixel, 0 black … 255 white, row by row. */
  readonly pixels: Uint8Array;
  readonly dpi: number;
}

export interface Word {
  readonly page: number;
  readonly text: string;
  /** PDF points from the page's top-left corner. */
  readonly xMin: number;
  readonly yMin: number;
  readonly xMax: number;
  readonly yMax: number;
}

async function inTemp<T>(bytes: Uint8Array, use: (dir: string, pdf: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'kcloud-pdf-'));
  try {
    const pdf = join(dir, 'doc.pdf');
    writeFileSync(pdf, bytes);
    return await use(dir, pdf);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Binary PGM (P5, maxval 255): "P5 <w> <h> 255" then w × h bytes. */
export function parsePgm(data: Buffer): { width: number; height: number; pixels: Uint8Array } {
  const byte = (at: number): number => {
    const b = data[at];
    if (b === undefined) throw new Error(`PGM header cut off at byte ${at} of ${data.length}`);
    return b;
  };
  const isSpace = (at: number): boolean => /\s/.test(String.fromCharCode(byte(at)));
  const header: string[] = [];
  let i = 0;
  while (header.length < 4) {
    while (isSpace(i)) i++;
    if (byte(i) === 0x23) {
      while (byte(i) !== 0x0a) i++;
      continue;
    }
    let token = '';
    while (!isSpace(i)) token += String.fromCharCode(byte(i++));
    header.push(token);
  }
  i++; // the single whitespace byte after maxval
  const [magic, w, h, max] = header;
  if (magic !== 'P5' || max !== '255') throw new Error(`not an 8-bit binary PGM: ${header.join(' ')}`);
  const width = Number(w);
  const height = Number(h);
  const pixels = data.subarray(i, i + width * height);
  if (pixels.length !== width * height) throw new Error(`PGM ${width}×${height} has ${pixels.length} pixels`);
  return { width, height, pixels };
}

export async function grayPages(bytes: Uint8Array, dpi = 50): Promise<GrayPage[]> {
  return inTemp(bytes, async (dir, pdf) => {
    await run('pdftoppm', ['-r', String(dpi), '-gray', pdf, join(dir, 'p')], { timeout: 60_000 });
    return readdirSync(dir)
      .filter((f) => f.endsWith('.pgm'))
      .sort()
      .map((f) => ({ ...parsePgm(readFileSync(join(dir, f))), dpi }));
  });
}

/** Share of pixels darker than near-white inside a box given in PDF points. */
export function inkShare(
  page: GrayPage,
  box: { x: number; y: number; width: number; height: number },
): number {
  const s = page.dpi / 72;
  const x0 = Math.max(0, Math.floor(box.x * s));
  const y0 = Math.max(0, Math.floor(box.y * s));
  const x1 = Math.min(page.width, Math.ceil((box.x + box.width) * s));
  const y1 = Math.min(page.height, Math.ceil((box.y + box.height) * s));
  let ink = 0;
  for (let y = y0; y < y1; y++)
    for (let x = x0; x < x1; x++) if (page.pixels[y * page.width + x]! < 230) ink++; // x < width, y < height: inside the image
  return ink / Math.max(1, (x1 - x0) * (y1 - y0));
}

export async function words(bytes: Uint8Array): Promise<Word[]> {
  return inTemp(bytes, async (_dir, pdf) => {
    const { stdout } = await run('pdftotext', ['-bbox', pdf, '-'], {
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const out: Word[] = [];
    let page = 0;
    for (const line of stdout.split('\n')) {
      if (line.includes('<page ')) page++;
      const m = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(
        line,
      );
      // The pattern's five groups are not optional: a match has all of them.
      if (m) out.push({ page, xMin: +m[1]!, yMin: +m[2]!, xMax: +m[3]!, yMax: +m[4]!, text: decode(m[5]!) });
    }
    return out;
  });
}

const decode = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** Where a phrase starts: the first run of consecutive words on one page that spells it. */
export function findPhrase(all: readonly Word[], phrase: string): Word | undefined {
  const parts = phrase.split(/\s+/);
  return all.find((start, i) =>
    parts.every((p, j) => all[i + j]?.text === p && all[i + j]?.page === start.page),
  );
}

/** Embedded bitmaps (pdfimages -list rows): a vector chart has none. */
export async function imageCount(bytes: Uint8Array): Promise<number> {
  return inTemp(bytes, async (_dir, pdf) => {
    const { stdout } = await run('pdfimages', ['-list', pdf], { timeout: 60_000 });
    return stdout
      .split('\n')
      .slice(2)
      .filter((l) => l.trim()).length;
  });
}

/** PNG screenshots of pages first…last (for docs/). */
export async function pngPages(
  bytes: Uint8Array,
  prefix: string,
  first: number,
  last: number,
  dpi = 60,
): Promise<void> {
  await inTemp(bytes, async (_dir, pdf) => {
    await run('pdftoppm', ['-r', String(dpi), '-png', '-f', String(first), '-l', String(last), pdf, prefix], {
      timeout: 60_000,
    });
  });
}
