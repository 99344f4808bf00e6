import { linePath } from './chart';

/** Points from [t, v] pairs. */
const pts = (...pairs: [number, number][]) => pairs.map(([t, v]) => ({ t, v }));

describe('linePath', () => {
  it('scales time to the width and values to the height, y downwards', () => {
    expect(linePath(pts([0, 10], [50, 20], [100, 15]), 200, 100)).toEqual({
      d: 'M0.0,100.0L100.0,0.0L200.0,50.0',
      min: 10,
      max: 20,
    });
  });

  it('uses a fixed value axis when given one', () => {
    expect(linePath(pts([0, 0], [10, 50]), 10, 100, { min: 0, max: 100 })).toEqual({
      d: 'M0.0,100.0L10.0,50.0',
      min: 0,
      max: 100,
    });
  });

  it('draws a flat series along the bottom and nothing for fewer than two points', () => {
    expect(linePath(pts([0, 5], [1, 5]), 10, 10).d).toBe('M0.0,10.0L10.0,10.0');
    expect(linePath(pts([0, 7]), 10, 10)).toEqual({ d: '', min: 7, max: 7 });
    expect(linePath([], 10, 10)).toEqual({ d: '', min: 0, max: 0 });
  });
});
