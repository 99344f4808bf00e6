// Types of boundaries.js (plain CommonJS, so that eslint.config.mjs can import it without a TypeScript loader).
import type { ESLint, Linter } from 'eslint';

export interface LibraryNode {
  /** What the library owns, one line (rendered into ARCHITECTURE.md). */
  readonly owns: string;
  /** Allowed dependencies, each with the reason the edge exists. */
  readonly dependsOn: Readonly<Record<string, string>>;
  /** Sub-entries other units may import as `@kcloud/<lib>/<entry>` (`testing`: specs only). */
  readonly entries?: Readonly<Record<string, string>>;
}

export interface AppNode {
  readonly owns: string;
  /** `'*'`: the composition root may import every library. */
  readonly dependsOn: Readonly<Record<string, string>> | '*';
}

export interface DependencyGraph {
  readonly libraries: Readonly<Record<string, LibraryNode>>;
  readonly apps: Readonly<Record<string, AppNode>>;
}

export const graph: DependencyGraph;
export const plugin: ESLint.Plugin;
export const config: Linter.Config;
export function violationOf(filename: string, specifier: string, root?: string): string | undefined;
