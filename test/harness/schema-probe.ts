import {
  buildClientSchema,
  getIntrospectionQuery,
  getNamedType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
  type IntrospectionQuery,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isUnionType,
} from 'graphql';
import { gql } from './graphql-client';
import { at } from './indexed';

/**
 * Builds one operation per root field from the schema the API serves right now, so suites that must cover "every
 * root field" keep covering fields added after they were written. Selections take every field reachable without
 * required arguments (each type once per path), arguments get values from a caller-supplied provider.
 */
export type OperationType = 'query' | 'mutation' | 'subscription';

export interface RootFieldOperation {
  readonly type: OperationType;
  readonly field: string;
  readonly document: string;
  readonly variables: Record<string, unknown>;
}

/** Where an argument (or a field of an input argument) sits: `gpus.filter.namespace`, `gpu.uuid`. */
export interface ArgSite {
  readonly root: string;
  readonly path: readonly string[];
  readonly name: string;
  readonly type: GraphQLInputType;
}

/** A value for an argument site, or undefined to use the generic default. */
export type ArgValues = (site: ArgSite) => unknown;

export interface ProbeOptions {
  /** `first` at the root (connections are read whole so totals can be compared with the edges). */
  readonly rootPageSize?: number;
  readonly nestedPageSize?: number;
  readonly maxDepth?: number;
  readonly values?: ArgValues;
  /** Optional argument sites to fill too (by default only required ones are). */
  readonly include?: (site: ArgSite) => boolean;
}

export async function fetchSchema(url: string, headers: Record<string, string>): Promise<GraphQLSchema> {
  const res = await gql<IntrospectionQuery>(url, getIntrospectionQuery(), {}, headers);
  if (!res.data) throw new Error(`introspection failed: ${JSON.stringify(res.errors)}`);
  return buildClientSchema(res.data);
}

export function rootFields(schema: GraphQLSchema, type: OperationType): GraphQLField<unknown, unknown>[] {
  const root =
    type === 'query'
      ? schema.getQueryType()
      : type === 'mutation'
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  return root ? Object.values(root.getFields()) : [];
}

/** Every argument site of a root field: its arguments, and the fields of input-object arguments (one level). */
export function argSites(field: GraphQLField<unknown, unknown>): ArgSite[] {
  return field.args.flatMap((arg) => {
    const site: ArgSite = { root: field.name, path: [arg.name], name: arg.name, type: arg.type };
    const named = getNamedType(arg.type);
    if (!isInputObjectType(named)) return [site];
    return [
      site,
      ...Object.values(named.getFields()).map((f) => ({
        root: field.name,
        path: [arg.name, f.name],
        name: f.name,
        type: f.type,
      })),
    ];
  });
}

export function operationFor(
  type: OperationType,
  field: GraphQLField<unknown, unknown>,
  opts: ProbeOptions = {},
): RootFieldOperation {
  const variables: Record<string, unknown> = {};
  const decls: string[] = [];
  const args: string[] = [];
  for (const arg of field.args) {
    const value = argValue(field.name, arg, opts);
    if (value === undefined) continue;
    variables[arg.name] = value;
    decls.push(`$${arg.name}: ${String(arg.type)}`);
    args.push(`${arg.name}: $${arg.name}`);
  }
  const sel = selection(field.type, 1, [getNamedType(field.type).name], opts);
  const document =
    `${type} Probe${decls.length ? `(${decls.join(', ')})` : ''} { ${field.name}` +
    `${args.length ? `(${args.join(', ')})` : ''}${sel ? ` { ${sel} }` : ''} }`;
  return { type, field: field.name, document, variables };
}

function argValue(root: string, arg: GraphQLArgument, opts: ProbeOptions): unknown {
  const site: ArgSite = { root, path: [arg.name], name: arg.name, type: arg.type };
  const explicit = opts.values?.(site);
  if (explicit !== undefined) return explicit;
  const named = getNamedType(arg.type);
  if (isPageSize(arg.name, named)) return opts.rootPageSize ?? 1000;
  if (isInputObjectType(named)) {
    const fields = Object.values(named.getFields()).flatMap((f) => {
      const sub: ArgSite = { root, path: [arg.name, f.name], name: f.name, type: f.type };
      const v =
        opts.values?.(sub) ?? (isNonNullType(f.type) || opts.include?.(sub) ? defaultValue(sub) : undefined);
      return v === undefined ? [] : [[f.name, v] as const];
    });
    if (fields.length) return Object.fromEntries(fields);
  }
  return isNonNullType(arg.type) || opts.include?.(site) ? defaultValue(site) : undefined;
}

/** A plausible value for any input type: times around now, small numbers, the first enum value. */
export function defaultValue(site: ArgSite): unknown {
  const { type, name } = site;
  if (isNonNullType(type)) return defaultValue({ ...site, type: type.ofType });
  if (isListType(type)) return [defaultValue({ ...site, type: type.ofType })];
  const named = getNamedType(type);
  if (isEnumType(named)) return at(named.getValues(), 0, `value of enum ${named.name}`).name;
  if (isInputObjectType(named))
    return Object.fromEntries(
      Object.values(named.getFields())
        .filter((f) => isNonNullType(f.type))
        .map((f) => [
          f.name,
          defaultValue({ ...site, path: [...site.path, f.name], name: f.name, type: f.type }),
        ]),
    );
  switch (named.name) {
    case 'Int':
      return /step|seconds|window/i.test(name) ? 60 : /first|last|limit|top/i.test(name) ? 10 : 1;
    case 'Float':
      return 1;
    case 'Boolean':
      return false;
    case 'DateTime':
      return new Date(Date.now() - (/from|start|since/i.test(name) ? 600_000 : 0)).toISOString();
    case 'JSON':
    case 'JSONObject':
      return {};
    default:
      return 'probe-does-not-exist';
  }
}

function isPageSize(name: string, type: GraphQLNamedType): boolean {
  return (name === 'first' || name === 'limit') && type.name === 'Int';
}

function selection(
  type: GraphQLOutputType,
  depth: number,
  path: readonly string[],
  opts: ProbeOptions,
): string {
  const named = getNamedType(type);
  if (isLeafType(named) || depth > (opts.maxDepth ?? 6)) return '';
  if (isUnionType(named))
    return [
      '__typename',
      ...named
        .getTypes()
        .map((t) => `... on ${t.name} { ${selection(t, depth, path, opts) || '__typename'} }`),
    ].join(' ');
  if (!isObjectType(named) && !isInterfaceType(named)) return '';
  const parts: string[] = isInterfaceType(named) ? ['__typename'] : [];
  for (const f of Object.values(named.getFields())) {
    if (f.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const inner = getNamedType(f.type);
    if (isLeafType(inner)) {
      parts.push(f.name);
      continue;
    }
    if (path.includes(inner.name)) continue;
    const sub = selection(f.type, depth + 1, [...path, inner.name], opts);
    if (!sub) continue;
    const page = f.args.find((a) => isPageSize(a.name, getNamedType(a.type)));
    parts.push(`${f.name}${page ? `(${page.name}: ${opts.nestedPageSize ?? 5})` : ''} { ${sub} }`);
  }
  return parts.join(' ');
}
