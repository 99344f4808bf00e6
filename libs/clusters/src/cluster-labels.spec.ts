import { hasLabels, labelList } from './cluster-labels';

describe('cluster labels', () => {
  it('lists labels sorted by name, none as an empty list', () => {
    expect(labelList({ platform: 'dgx', datacenter: 'dc1' })).toEqual([
      { name: 'datacenter', value: 'dc1' },
      { name: 'platform', value: 'dgx' },
    ]);
    expect(labelList(undefined)).toEqual([]);
  });

  it.each([
    [{ datacenter: 'dc1', platform: 'dgx' }, [{ name: 'datacenter', value: 'dc1' }], true],
    [
      { datacenter: 'dc1', platform: 'dgx' },
      [
        { name: 'datacenter', value: 'dc1' },
        { name: 'platform', value: 'dgx' },
      ],
      true,
    ],
    [
      { datacenter: 'dc1', platform: 'dgx' },
      [
        { name: 'datacenter', value: 'dc1' },
        { name: 'platform', value: 'hgx' },
      ],
      false,
    ],
    [{ datacenter: 'dc1' }, [{ name: 'datacenter', value: 'DC1' }], false],
    [{ datacenter: 'dc1' }, [{ name: 'platform', value: '' }], false],
    [undefined, [{ name: 'datacenter', value: 'dc1' }], false],
    [undefined, [], true],
    [{ datacenter: 'dc1' }, undefined, true],
  ])('labels %o match %o: %p', (labels, wanted, expected) => {
    expect(hasLabels(labels, wanted)).toBe(expected);
  });
});
