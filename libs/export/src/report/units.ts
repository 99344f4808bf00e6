/**
 * Human units for the report (PDF, xlsx and its sentences). The row formats keep joules and watts; conversions to
 * kWh, kW and hours happen here only, so every human figure is one function away from its machine figure.
 */
export const JOULES_PER_KWH = 3_600_000;
export const SECONDS_PER_HOUR = 3600;

export const kilowattHours = (joules: number): number => joules / JOULES_PER_KWH;
export const kilowatts = (watts: number): number => watts / 1000;
export const hours = (seconds: number): number => seconds / SECONDS_PER_HOUR;

const grouped = (digits: number) =>
  new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const FORMATS = new Map<number, Intl.NumberFormat>();

/** Thousands separators and a fixed number of decimals: 12,345.6. */
export function formatNumber(value: number, digits = 0): string {
  if (!Number.isFinite(value)) return '–';
  let f = FORMATS.get(digits);
  if (!f) FORMATS.set(digits, (f = grouped(digits)));
  // -0.0 reads as a sign error to a person.
  return f.format(Object.is(Math.round(value * 10 ** digits), -0) ? 0 : value);
}

/** Decimals a reader needs: three significant figures for small values, none beyond 100. */
export function sensibleDigits(value: number): number {
  const a = Math.abs(value);
  if (a === 0 || a >= 100) return 0;
  if (a >= 10) return 1;
  if (a >= 1) return 2;
  return 3;
}

/** 31.2 kWh, or 1.24 MWh from 1,000 kWh on. */
export function formatEnergy(joules: number): string {
  const kwh = kilowattHours(joules);
  if (Math.abs(kwh) >= 1000) return `${formatNumber(kwh / 1000, sensibleDigits(kwh / 1000))} MWh`;
  return `${formatNumber(kwh, sensibleDigits(kwh))} kWh`;
}

/** 5.44 kW, or 850 W below one kilowatt. */
export function formatPower(watts: number): string {
  if (Math.abs(watts) < 1000) return `${formatNumber(watts, 0)} W`;
  const kw = kilowatts(watts);
  return `${formatNumber(kw, sensibleDigits(kw))} kW`;
}

export function formatHours(seconds: number): string {
  const h = hours(seconds);
  return `${formatNumber(h, sensibleDigits(h))} h`;
}

export function formatPercent(percent: number, digits = 0): string {
  return `${formatNumber(percent, digits)} %`;
}

/** 2026-12-06 16:45 UTC. */
export function formatTime(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
