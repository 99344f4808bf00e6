// ESLint rule architecture/library-dependencies: every import in libs/ and apps/ must follow the graph in
// dependencies.json. CommonJS so that eslint.config.mjs imports it and jest specs require it without an ESM loader.
'use strict';
const path = require('node:path');
const graph = require('./dependencies.json');

const ROOT = path.resolve(__dirname, '..', '..');
const SCOPE = '@kcloud/';
const SPEC = /\.(spec|e2e-spec)\.ts$/;

/** Which unit of the repository a file belongs to: `{ kind: 'lib' | 'app', name }`, or undefined (test/, bench/…). */
function unitOf(relative) {
  const [top, name] = relative.split(/[\\/]/);
  if (top === 'libs' && name) return { kind: 'lib', name };
  if (top === 'apps' && name) return { kind: 'app', name };
  return undefined;
}

/** The allowed targets of a unit: a Set of library names, or '*' (the composition root may use them all). */
function allowedOf(unit) {
  const entry = unit.kind === 'lib' ? graph.libraries[unit.name] : graph.apps[unit.name];
  if (!entry) return undefined;
  return entry.dependsOn === '*' ? '*' : new Set(Object.keys(entry.dependsOn));
}

/** The entry to use instead of a relative path: a declared sub-entry (`@kcloud/prometheus/testing`) or the library. */
function entryFor(name, relativeSpecifier) {
  const entries = Object.keys(graph.libraries[name]?.entries ?? {});
  const sub = entries.find((e) => relativeSpecifier.includes(`/${name}/src/${e}/`));
  return sub ? `${SCOPE}${name}/${sub}` : `${SCOPE}${name}`;
}

/**
 * What is wrong with importing `specifier` from `filename` (absolute), or undefined. Pure: the rule and the
 * architecture spec both call it.
 */
function violationOf(filename, specifier, root = ROOT) {
  const from = path.relative(root, filename);
  const source = unitOf(from);
  if (!source) return undefined;
  const where = source.kind === 'lib' ? `libs/${source.name}` : `apps/${source.name}`;
  const allowed = allowedOf(source);
  if (!allowed)
    return `${where} is not in tools/architecture/dependencies.json; add it with its allowed dependencies`;
  const spec = SPEC.test(from);

  if (specifier.startsWith('.')) {
    const target = unitOf(path.relative(root, path.resolve(path.dirname(filename), specifier)));
    if (!target || (target.kind === source.kind && target.name === source.name)) return undefined;
    if (target.kind === 'app')
      return `${where} imports apps/${target.name}: a library or app never imports an app`;
    return `${where} reaches into libs/${target.name} by a relative path; import it as '${entryFor(target.name, specifier)}'`;
  }

  if (!specifier.startsWith(SCOPE)) return undefined;
  const [name, ...rest] = specifier.slice(SCOPE.length).split('/');
  const library = graph.libraries[name];
  if (!library)
    return `'${specifier}' is not a library (tools/architecture/dependencies.json); apps are never imported`;
  const entry = rest.join('/');
  if (entry) {
    if (!library.entries || !(entry in library.entries))
      return `'${specifier}' is not an entry of libs/${name}; import '${SCOPE}${name}'`;
    if (entry === 'testing' && !spec) return `'${specifier}' is for specs only`;
  }
  if (source.kind === 'lib' && name === source.name) {
    // A spec may test its library through the public face; source files would make an index cycle.
    return spec
      ? undefined
      : `libs/${name} imports its own entry '${SCOPE}${name}'; use a relative path inside the library`;
  }
  if (allowed === '*' || allowed.has(name)) return undefined;
  const list = [...allowed].join(', ') || 'none';
  return `${where} may not depend on ${name} (allowed: ${list}); change tools/architecture/dependencies.json if the edge is right`;
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports between libraries and apps follow tools/architecture/dependencies.json' },
    schema: [],
    messages: { boundary: '{{message}}' },
  },
  create(context) {
    const filename = context.filename ?? context.getFilename();
    const check = (node) => {
      if (!node || node.type !== 'Literal' || typeof node.value !== 'string') return;
      const message = violationOf(filename, node.value);
      if (message) context.report({ node, messageId: 'boundary', data: { message } });
    };
    return {
      ImportDeclaration: (node) => check(node.source),
      ExportNamedDeclaration: (node) => check(node.source),
      ExportAllDeclaration: (node) => check(node.source),
      ImportExpression: (node) => check(node.source),
      TSExternalModuleReference: (node) => check(node.expression),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require') check(node.arguments[0]);
      },
    };
  },
};

const plugin = { meta: { name: 'kcloud-architecture' }, rules: { 'library-dependencies': rule } };

/** The flat-config block eslint.config.mjs spreads in: the rule on every TypeScript file of libs/ and apps/. */
const config = {
  files: ['libs/**/*.ts', 'apps/**/*.ts'],
  plugins: { architecture: plugin },
  rules: { 'architecture/library-dependencies': 'error' },
};

module.exports = { plugin, config, violationOf, graph };
