import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { buildSchema, type DocumentNode, execute, type GraphQLSchema, parse, validate } from 'graphql';
import { listening } from './graph-api';

const SCHEMA_FILE = join(__dirname, '..', 'schema.graphql');

/**
 * The library baseline for an executed answer: plain node:http + bare graphql-js on the repo's own schema.graphql,
 * executing the identical document over the API's own answer data (`rootValue`, so graphql-js's default resolvers walk
 * it: one resolve per field, as the API resolves them). Parsed and validated once per distinct query text, as Apollo's
 * document cache does; then execute + JSON per request, sent with `headers` (the API's own, as the ceiling sends them).
 * No Express, Nest, Apollo, auth, limits, logging or response cache: what the API adds on top of graphql-js is the
 * gap between the two.
 */
export async function startBareGraphql(
  data: Record<string, unknown>,
  headers: Readonly<Record<string, string>>,
): Promise<{ url: string; stop(): Promise<void> }> {
  const schema: GraphQLSchema = buildSchema(readFileSync(SCHEMA_FILE, 'utf8'));
  const documents = new Map<string, DocumentNode>();
  const documentOf = (query: string): DocumentNode | { errors: readonly unknown[] } => {
    const known = documents.get(query);
    if (known) return known;
    const document = parse(query);
    const errors = validate(schema, document);
    if (errors.length) return { errors };
    documents.set(query, document);
    return document;
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const { query } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { query: string };
      const document = documentOf(query);
      const result = 'kind' in document ? execute({ schema, document, rootValue: data }) : document;
      // execute is synchronous here: the data are values, not promises.
      const body = Buffer.from(`${JSON.stringify(result)}\n`);
      res.writeHead(200, { ...headers, 'content-length': body.length });
      res.end(body);
    });
  });
  return listening(server);
}
