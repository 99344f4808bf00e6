import { dirname, join } from 'node:path';

/** The files the page loads, all from node_modules: nothing is fetched from a CDN. */
export const GRAPHIQL_ASSETS = {
  'react.js': { module: 'react', file: 'umd/react.production.min.js', type: 'text/javascript' },
  'react-dom.js': { module: 'react-dom', file: 'umd/react-dom.production.min.js', type: 'text/javascript' },
  'graphiql.js': { module: 'graphiql', file: 'graphiql.min.js', type: 'text/javascript' },
  'graphiql.css': { module: 'graphiql', file: 'graphiql.min.css', type: 'text/css' },
} as const;

export type GraphiqlAsset = keyof typeof GRAPHIQL_ASSETS;

/**
 * Path of an asset, or undefined when the packages are not installed (they are development dependencies: a
 * production image built with `npm ci --omit=dev` does not carry them). React's package exports hide `umd/`, so the
 * file is found next to its package.json.
 */
export function graphiqlAssetPath(name: GraphiqlAsset): string | undefined {
  const asset = GRAPHIQL_ASSETS[name];
  try {
    return join(dirname(require.resolve(`${asset.module}/package.json`)), asset.file);
  } catch {
    return undefined;
  }
}

/** The page: local assets, and a script of ours (no inline script, so helmet's `script-src 'self'` holds). */
export const GRAPHIQL_PAGE = `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>kcloud-monitor · GraphiQL</title>
  <link rel="stylesheet" href="/graphiql/assets/graphiql.css">
  <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script src="/graphiql/assets/react.js"></script>
  <script src="/graphiql/assets/react-dom.js"></script>
  <script src="/graphiql/assets/graphiql.js"></script>
  <script src="/graphiql/assets/start.js"></script>
</body>
</html>
`;

/** Queries over HTTP, subscriptions over graphql-ws, both on this origin; keys go in the Headers tab. */
export const GRAPHIQL_START = `(function () {
  var ws = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql';
  var fetcher = GraphiQL.createFetcher({ url: location.origin + '/graphql', subscriptionUrl: ws });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultHeaders: '{\\n  "Authorization": "Bearer <your API key>"\\n}',
    shouldPersistHeaders: false,
  }));
})();
`;
