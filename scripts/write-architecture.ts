// Rewrites the dependency-graph block of ARCHITECTURE.md from tools/architecture/dependencies.json (npm run architecture).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { graph } from '../tools/architecture/boundaries';
import { renderGraph, replaceGraph } from '../tools/architecture/render-graph';

const file = join(__dirname, '..', 'ARCHITECTURE.md');
writeFileSync(file, replaceGraph(readFileSync(file, 'utf8'), renderGraph(graph)));
process.stdout.write('ARCHITECTURE.md dependency graph written\n');
