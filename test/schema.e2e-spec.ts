import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printAppSchema } from '../apps/api/src/print-schema';

describe('schema.graphql', () => {
  it('is the schema the code serves (run `npm run schema` after a schema change)', async () => {
    const committed = readFileSync(join(__dirname, '..', 'schema.graphql'), 'utf8');
    expect(await printAppSchema()).toBe(committed);
  });
});
