import { linePath } from './chart';

describe('linePath', () => {
  it('scales time to the width and values to the height, y downwards', () => {
    expect(
      linePath(
        [
          { t: 0, v: 10 },
          { t: 50, v: 20 },
          { t: 100, v: 15 },
        ],
        200,
        100,
      ),
    ).toEqual({
      d: 'M0.0,100.0L100.0,0.0L200.0,50.0',
      min: 10,
      max: 20,
    });
  });

  it('uses a fixed value axis when given one', () => {
    expect(
      linePath(
        [
          { t: 0, v: 0 },
          { t: 10, v: 50 },
        ],
        10,
        100,
        { min: 0, max: 100 },
      ),
    ).toEqual({ d: 'M0.0,100.0L10.0,50.0', min: 0, max: 100 });
  });

  it('draws a flat series along the bottom and nothing for fewer than two points', () => {
    expect(
      linePath(
        [
          { t: 0, v: 5 },
          { t: 1, v: 5 },
        ],
        10,
        10,
      ).d,
    ).toBe('M0.0,10.0L10.0,10.0');
    expect(linePath([{ t: 0, v: 7 }], 10, 10)).toEqual({ d: '', min: 7, max: 7 });
    expect(linePath([], 10, 10)).toEqual({ d: '', min: 0, max: 0 });
  });
});
