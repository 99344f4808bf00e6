import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';

/** What Apollo's cache-control plugin sent for any answer without a hint (this API gives none): never store it. */
const UNCACHEABLE = 'no-store';

/**
 * Apollo's default cache-control plugin in place of cache hints this API does not use (whole answers are cached by
 * @kcloud/cache, which sets its own Cache-Control on the answers it stores). That plugin has `willResolveField`, so
 * Apollo wraps every field resolver of the schema and calls it around each resolved field (~1,100 calls per listed
 * page of 100 GPUs). Disabled here; the one thing it did for this API — `Cache-Control: no-store` on every answer
 * nobody marked cacheable — is kept without touching fields.
 */
export function withoutCacheHints(): ApolloServerPlugin[] {
  return [
    ApolloServerPluginCacheControlDisabled(),
    {
      async requestDidStart() {
        return {
          // Runs beside the response cache's willSendResponse (Apollo starts them together): whichever sets
          // first, the cache's `private, max-age` on an answer it stored wins, as it did over Apollo's plugin.
          async willSendResponse({ response }) {
            if (!response.http.headers.has('cache-control'))
              response.http.headers.set('cache-control', UNCACHEABLE);
          },
        };
      },
    },
  ];
}
