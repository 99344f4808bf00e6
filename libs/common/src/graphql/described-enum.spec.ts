import { registerEnumType } from '@nestjs/graphql';
import { registerDescribedEnum } from './described-enum';

jest.mock('@nestjs/graphql', () => ({ registerEnumType: jest.fn() }));

enum Probe {
  UP = 'up',
  DOWN = 'down',
}

describe('registerDescribedEnum', () => {
  it('registers every value with its description', () => {
    registerDescribedEnum(Probe, {
      name: 'Probe',
      description: 'A probe',
      values: { UP: 'Up', DOWN: 'Down' },
    });
    expect(registerEnumType).toHaveBeenCalledWith(Probe, {
      name: 'Probe',
      description: 'A probe',
      valuesMap: { UP: { description: 'Up' }, DOWN: { description: 'Down' } },
    });
  });

  it('does not compile with a value left undescribed', () => {
    // @ts-expect-error DOWN has no description (npm run typecheck fails if this line compiles)
    registerDescribedEnum(Probe, { name: 'Probe', description: 'A probe', values: { UP: 'Up' } });
    expect(registerEnumType).toHaveBeenCalled();
  });
});
