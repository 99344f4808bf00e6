import {
  type DocumentNode,
  getNamedType,
  type GraphQLSchema,
  TypeInfo,
  visit,
  visitWithTypeInfo,
} from 'graphql';

/**
 * The named output types a document's fields return, sorted (fragments included: their fields are visited where they
 * are defined). Which answers a change confined to some types can affect: an answer selecting none of them cannot
 * show it.
 */
export function selectedTypes(schema: GraphQLSchema, document: DocumentNode): readonly string[] {
  const types = new Set<string>();
  const info = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(info, {
      Field() {
        const type = info.getType();
        if (type) types.add(getNamedType(type).name);
      },
    }),
  );
  return [...types].sort();
}
