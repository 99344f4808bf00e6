import type { NodePowerSample } from './power.port';
import { InvalidReadingReason } from '../quality/reading-quality';
import { attributedWattsOf, otherWattsOf, wholeNodePowerOf } from './node-power-rules';

const node = (p: Partial<NodePowerSample>): NodePowerSample => ({
  cluster: 'c',
  node: 'n',
  cpuPackageWatts: 200,
  dramWatts: 30,
  gpuWatts: 700,
  observedAt: new Date(0),
  ...p,
});

describe('node power rules with refused readings', () => {
  it('sums the components and derives the rest while every reading is good', () => {
    expect(attributedWattsOf(node({}))).toBe(930);
    expect(otherWattsOf(node({ serverInputWatts: 1100 }))).toBe(170);
    expect(wholeNodePowerOf(node({}))).toEqual({ watts: 930, source: 'kepler_components' });
  });

  it('serves no sum and no derived rest when a component was refused: a partial sum would be a wrong number', () => {
    const refused = node({
      gpuWatts: undefined,
      serverInputWatts: 1100,
      invalidReadings: [{ field: 'gpuWatts', reason: InvalidReadingReason.DCGM_BLANK }],
    });
    expect(attributedWattsOf(refused)).toBeUndefined();
    expect(otherWattsOf(refused)).toBeUndefined();
    // The BMC's own measure of the whole server does not depend on the components.
    expect(wholeNodePowerOf(refused)).toEqual({ watts: 1100, source: 'ipmi_dcmi' });
    const noInput = { ...refused, serverInputWatts: undefined };
    expect(wholeNodePowerOf(noInput)).toBeUndefined();
  });
});
