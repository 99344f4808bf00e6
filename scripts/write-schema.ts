// Rewrites the committed schema.graphql from the code-first schema (`npm run schema`).
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printAppSchema } from '../apps/api/src/print-schema';

printAppSchema()
  .then((sdl) => {
    writeFileSync(join(__dirname, '..', 'schema.graphql'), sdl);
    process.stdout.write('schema.graphql written\n');
    process.exit(0);
  })
  .catch((e: unknown) => {
    process.stderr.write(`${String(e)}\n`);
    process.exit(1);
  });
