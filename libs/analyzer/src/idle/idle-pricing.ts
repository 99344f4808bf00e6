/** Prices that turn idle GPU-hours and energy into money (IDLE_PRICE_PER_GPU_HOUR, IDLE_PRICE_PER_KWH). */
export interface IdlePrices {
  /** Per GPU-hour by model name (as dcgm-exporter's modelName), with `default` for the others. */
  readonly perGpuHourByModel: Readonly<Record<string, number>>;
  readonly perKWh: number;
  readonly currency: string;
}

export const JOULES_PER_KWH = 3_600_000;

/**
 * IDLE_PRICE_PER_GPU_HOUR: a number (every model) or a JSON object `{"default": 2, "NVIDIA H100 80GB HBM3": 4}`.
 * Returns a message instead when the value is not that (the env schema reports it at boot).
 */
export function parseGpuHourPrices(raw: string): Readonly<Record<string, number>> | string {
  const text = raw.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return { default: Number(text) };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return 'IDLE_PRICE_PER_GPU_HOUR must be a number or a JSON object of model name to price';
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed))
    return 'IDLE_PRICE_PER_GPU_HOUR must be a number or a JSON object of model name to price';
  const out: Record<string, number> = {};
  for (const [model, price] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof price !== 'number' || !Number.isFinite(price) || price < 0)
      return `IDLE_PRICE_PER_GPU_HOUR: the price of '${model}' must be a number ≥ 0`;
    out[model] = price;
  }
  return out;
}

/** Idle cost = GPU-hours × the model's price per GPU-hour + kWh × the price per kWh. */
export function idleCost(
  prices: IdlePrices,
  model: string,
  idleGpuHours: number,
  idleEnergyKWh: number,
): number {
  const perHour = prices.perGpuHourByModel[model] ?? prices.perGpuHourByModel.default ?? 0;
  return idleGpuHours * perHour + idleEnergyKWh * prices.perKWh;
}
