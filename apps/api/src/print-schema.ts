import { GraphQLSchemaHost } from '@nestjs/graphql';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { loadConfig } from '@kcloud/common';
import { createApp } from './bootstrap';

/** The SDL the running code serves, sorted so the committed schema.graphql diff stays stable. */
export async function printAppSchema(): Promise<string> {
  const app = await createApp(loadConfig({ LOG_LEVEL: 'error' }));
  try {
    await app.init();
    const { schema } = app.get(GraphQLSchemaHost);
    return `${printSchema(lexicographicSortSchema(schema))}\n`;
  } finally {
    await app.close();
  }
}
