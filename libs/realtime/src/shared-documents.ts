import {
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  parse,
  type ParseOptions,
  type Source,
  validate,
} from 'graphql';

/** Distinct query texts whose parsed documents are shared; past this the memo starts over (texts are few). */
export const MAX_SHARED_DOCUMENTS = 500;
/** Longer texts are parsed per subscriber as before: the memo's worst case stays small. */
export const MAX_SHARED_TEXT = 8 * 1024;

/**
 * graphql-ws `parse` and `validate` that share work between subscribers of the same query text. graphql-ws keeps
 * what it parsed for a subscription's lifetime (its execution args, and the suspended frame that loops over the
 * events), ~17 KB of AST, locations and tokens per subscriber for an analysisCompleted selection; subscribers of one
 * text now hold one document, validated once (validation depends on the schema and the document alone). Keyed by the
 * exact text, so error locations are each caller's own.
 */
export function sharedDocuments(): {
  parse: (source: string | Source, options?: ParseOptions) => DocumentNode;
  validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
} {
  const documents = new Map<string, DocumentNode>();
  const validated = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, readonly GraphQLError[]>>();
  return {
    parse: (source, options) => {
      if (typeof source !== 'string' || options || source.length > MAX_SHARED_TEXT)
        return parse(source, options);
      let document = documents.get(source);
      if (!document) {
        document = parse(source);
        if (documents.size >= MAX_SHARED_DOCUMENTS) documents.clear();
        documents.set(source, document);
      }
      return document;
    },
    validate: (schema, document) => {
      let bySchema = validated.get(schema);
      if (!bySchema) validated.set(schema, (bySchema = new WeakMap()));
      let errors = bySchema.get(document);
      if (!errors) bySchema.set(document, (errors = validate(schema, document)));
      return errors;
    },
  };
}
