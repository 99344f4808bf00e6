import { idleCost, parseGpuHourPrices } from './idle-pricing';

describe('idle prices', () => {
  it('reads one price for every model, or prices by model with a default', () => {
    expect(parseGpuHourPrices('2.5')).toEqual({ default: 2.5 });
    expect(parseGpuHourPrices('{"default":1,"NVIDIA H100 80GB HBM3":4}')).toEqual({
      default: 1,
      'NVIDIA H100 80GB HBM3': 4,
    });
  });

  it('refuses what is not a price list', () => {
    expect(parseGpuHourPrices('{"default":-1}')).toMatch(/≥ 0/);
    expect(parseGpuHourPrices('[1]')).toMatch(/JSON object/);
    expect(parseGpuHourPrices('{oops')).toMatch(/JSON object/);
  });

  it('prices GPU-hours by model (else the default) plus kWh', () => {
    const prices = { perGpuHourByModel: { default: 1, H100: 4 }, perKWh: 0.2, currency: 'USD' };
    expect(idleCost(prices, 'H100', 2, 10)).toBeCloseTo(10);
    expect(idleCost(prices, 'T4', 2, 0)).toBeCloseTo(2);
  });
});
