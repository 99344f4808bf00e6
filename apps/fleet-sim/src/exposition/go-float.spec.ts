import { formatGoFloat } from './go-float';

describe('formatGoFloat (Go strconv.FormatFloat(v, g, -1, 64), as client_golang prints)', () => {
  it.each([
    [0, '0'],
    [1, '1'],
    [-2.5, '-2.5'],
    [5321.77, '5321.77'],
    [999999, '999999'],
    [1e6, '1e+06'],
    [1234567, '1.234567e+06'],
    [1.7242541456e10, '1.7242541456e+10'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [0.34, '0.34'],
    [125.2, '125.2'],
    [NaN, 'NaN'],
    [Infinity, '+Inf'],
    [-Infinity, '-Inf'],
  ])('%p → %s', (value, expected) => {
    expect(formatGoFloat(value)).toBe(expected);
  });
});
