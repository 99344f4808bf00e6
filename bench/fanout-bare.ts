/**
 * The ceiling of the fan-out bench: a bare graphql-ws server (graphql-js + ws + graphql-ws, nothing else) with an
 * `analysisCompleted` subscription of the same shape as the API's. Every subscriber gets its own PubSub iterator and
 * its own execution, as a plain graphql-ws server does. `POST /publish` with an AnalysisCompleted JSON (taken from the
 * API) stamps `run.completedAt` with the publish time and publishes it. Run as a child process of fanout.bench.ts;
 * prints `port <n>` when listening.
 */
import { createServer } from 'node:http';
import { buildSchema } from 'graphql';
import { PubSub } from 'graphql-subscriptions';
import { WebSocketServer } from 'ws';

// The package's `exports` map serves `graphql-ws/use/ws`; TypeScript's node10 resolution finds its types under dist/.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { useServer } = require('graphql-ws/use/ws') as typeof import('graphql-ws/dist/use/ws');

const schema = buildSchema(`
  type Query { ok: Boolean }
  type StatusCount { count: Int! status: String! }
  type ClusterScoreStats { averageScore: Float cluster: String! count: Int! lowCount: Int! stale: Boolean! }
  type NamespaceScoreStats { averageScore: Float count: Int! lowCount: Int! namespace: String! }
  type GpuScoreStats {
    averageScore: Float byCluster: [ClusterScoreStats!]! byNamespace: [NamespaceScoreStats!]! byStatus: [StatusCount!]!
    computedAt: String idleCount: Int! lowUtilizationCount: Int! maxScore: Float minScore: Float total: Int!
  }
  type AnalysisRun {
    changedCount: Int! completedAt: String! durationSeconds: Float! error: String failedClusters: [String!]!
    gpuCount: Int! id: Int! joined: Boolean! startedAt: String! trigger: String!
  }
  type AnalysisCompleted { durationSeconds: Float! run: AnalysisRun! stats: GpuScoreStats! }
  type Subscription { analysisCompleted: AnalysisCompleted! }
`);

const pubSub = new PubSub();
// A bare server would see the warning too; it is not what this process measures.
(pubSub as unknown as { ee: { setMaxListeners(n: number): void } }).ee.setMaxListeners(0);
const roots = {
  analysisCompleted: () => pubSub.asyncIterableIterator('completed'),
};

const http = createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/publish') return void res.writeHead(404).end();
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    const event = JSON.parse(Buffer.concat(chunks).toString()) as { run: Record<string, unknown> };
    event.run = { ...event.run, completedAt: new Date().toISOString() };
    void pubSub.publish('completed', { analysisCompleted: event }).then(() => res.writeHead(204).end());
  });
});
const wss = new WebSocketServer({ server: http, path: '/graphql' });
useServer({ schema, roots: { subscription: roots } as never }, wss);
http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  process.stdout.write(`port ${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => process.exit(0));
