import {
  type DocumentNode,
  type FragmentDefinitionNode,
  getOperationAST,
  Kind,
  parse,
  type SelectionSetNode,
} from 'graphql';

/**
 * The size of an operation once its fragments are expanded, measured without expanding them: each fragment is
 * summarised once and its summary reused at every spread, so `fragment F0 { ...F1 ...F1 ...F1 ...F1 }` down 16 levels
 * (4^16 fields) is measured in microseconds. Totals may exceed Number.MAX_SAFE_INTEGER (or be Infinity); they are only
 * compared with limits.
 */
export interface OperationShape {
  /**
   * Field depth: `{ gpus { edges { node { uuid } } } }` is 4. Introspection fields count like any other, except
   * `ofType`: it unwraps at most the schema's own wrappers (`[X!]!` is three) and answers null past them, so the nine
   * levels of GraphiQL's TypeRef fragment cost nothing real (their complexity still counts).
   */
  readonly depth: number;
  /** Field selections after expanding every fragment spread (each spread counted as often as it is written). */
  readonly selections: number;
  /** Aliased fields after expanding fragments (`a: energy(...) b: energy(...)` is 2). */
  readonly aliases: number;
  /**
   * The most times one response name is selected in one merged selection set (fragments at the same level merge).
   * graphql-js's OverlappingFieldsCanBeMerged compares these pairwise, so a few thousand cost seconds of validation.
   */
  readonly maxRepeats: number;
}

interface SetSummary extends OperationShape {
  /** Response names this set contributes to its parent's merged set, with their multiplicity. */
  readonly names: ReadonlyMap<string, number>;
}

const EMPTY: SetSummary = { depth: 0, selections: 0, aliases: 0, maxRepeats: 0, names: new Map() };

/** The shape of the named (or only) operation; undefined when there is no such operation. */
export function operationShape(
  document: DocumentNode,
  operationName?: string | null,
): OperationShape | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions)
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);

  // undefined while a fragment is being summarised: a spread of it inside itself (a cycle, which validation
  // rejects later; these checks run before validation) contributes nothing.
  const memo = new Map<string, SetSummary | undefined>();
  const fragmentSummary = (name: string): SetSummary => {
    if (memo.has(name)) return memo.get(name) ?? EMPTY;
    const fragment = fragments.get(name);
    if (!fragment) return EMPTY;
    memo.set(name, undefined);
    const summary = summarise(fragment.selectionSet);
    memo.set(name, summary);
    return summary;
  };

  const summarise = (set: SelectionSetNode): SetSummary => {
    const names = new Map<string, number>();
    let depth = 0;
    let selections = 0;
    let aliases = 0;
    let maxRepeats = 0;
    const merge = (child: SetSummary, levelsAbove: number): void => {
      depth = Math.max(depth, levelsAbove + child.depth);
      selections += child.selections;
      aliases += child.aliases;
      maxRepeats = Math.max(maxRepeats, child.maxRepeats);
    };
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const level = sel.name.value === 'ofType' ? 0 : 1;
        merge(sel.selectionSet ? summarise(sel.selectionSet) : EMPTY, level);
        depth = Math.max(depth, level);
        selections += 1;
        if (sel.alias) aliases += 1;
        const name = sel.alias?.value ?? sel.name.value;
        names.set(name, (names.get(name) ?? 0) + 1);
      } else {
        const child =
          sel.kind === Kind.INLINE_FRAGMENT ? summarise(sel.selectionSet) : fragmentSummary(sel.name.value);
        merge(child, 0);
        for (const [name, n] of child.names) names.set(name, (names.get(name) ?? 0) + n);
      }
    }
    for (const n of names.values()) maxRepeats = Math.max(maxRepeats, n);
    return { depth, selections, aliases, maxRepeats, names };
  };

  const { depth, selections, aliases, maxRepeats } = summarise(operation.selectionSet);
  return { depth, selections, aliases, maxRepeats };
}

export type ParseOutcome =
  | { readonly ok: true; readonly document: DocumentNode }
  | { readonly ok: false; readonly tooManyTokens: boolean; readonly message: string };

/**
 * graphql-js's parser with its token cap: it stops reading at `maxTokens` lexical tokens, so a 256 KB body of
 * `{ a a a … }` costs a bounded parse and never reaches validation.
 */
export function parseWithinTokens(query: string, maxTokens: number): ParseOutcome {
  try {
    return { ok: true, document: parse(query, { maxTokens }) };
  } catch (e) {
    const message = (e as Error).message;
    // graphql-js: "Document contains more that N tokens. Parsing aborted." (sic)
    return { ok: false, tooManyTokens: /contains more th(?:an|at) \d+ tokens/.test(message), message };
  }
}
