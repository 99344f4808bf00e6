import { formatEnergy, formatHours, formatNumber, formatPercent, formatPower, kilowattHours } from './units';
import { rangePhrase } from './report-sentences';

describe('human units', () => {
  it.each([
    [11_477_677.8, '3.19 kWh'],
    [470_598_273.36, '131 kWh'],
    [36_000_000, '10.0 kWh'],
    [3_600_000_000, '1.00 MWh'],
    [5_400_000_000_000, '1,500 MWh'],
    [0, '0 kWh'],
  ])('writes %p J as %p', (joules, text) => expect(formatEnergy(joules)).toBe(text));

  it.each([
    [5437.023, '5.44 kW'],
    [850, '850 W'],
    [123_456, '123 kW'],
    [12_345, '12.3 kW'],
  ])('writes %p W as %p', (watts, text) => expect(formatPower(watts)).toBe(text));

  it('writes hours, percentages and thousands separators', () => {
    expect(formatHours(7200)).toBe('2.00 h');
    expect(formatHours(3600 * 250)).toBe('250 h');
    expect(formatPercent(46.15, 1)).toBe('46.2 %');
    expect(formatNumber(1234567.891, 1)).toBe('1,234,567.9');
    expect(formatNumber(-0.0001, 1)).toBe('0.0');
    expect(kilowattHours(3_600_000)).toBe(1);
  });
});

describe('range phrase', () => {
  const at = (s: number) => new Date(Date.UTC(2025, 0, 1) + s * 1000);
  it.each([
    [86_400, 'the day'],
    [3 * 86_400, 'the 3 days'],
    [6 * 3600, 'the 6 hours'],
    [90 * 60, 'the 90 minutes'],
    [10, 'the 10 seconds'],
  ])('names %p s as %p', (s, text) => expect(rangePhrase(at(0), at(s))).toBe(text));
});
