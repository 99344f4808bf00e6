import type { Scenario } from '@kcloud/fleet-model';
import { type Scopes, startAuthStack } from './auth-fixture';
import { type Stack, type StackCluster, startStack } from './stack';

/** Environment for the API, or a function giving it at start (when it names something an earlier hook started). */
export type StackEnv = Record<string, string> | (() => Record<string, string>);

export interface UseStackOptions {
  /**
   * Run in the stack's `afterAll` before it closes: what holds connections to it or to its Prometheus (sockets,
   * extra apps, scrapers, spies). Jest runs `afterAll` hooks in the order they were declared, so a suite's own hook
   * declared after useStack would run only once the stack is gone.
   */
  readonly closeFirst?: () => unknown;
}

/**
 * Starts a stack in `beforeAll` and closes it in `afterAll` of the describe block (or file) it is called in. The
 * returned object reads the running stack, so a suite writes `stack.url` / `stack.model` as it would with the result
 * of startStack; reading it outside a hook or test (before the stack runs) throws. A `beforeAll` declared after it
 * runs once the stack is up.
 */
export function useStack(
  scenario: Scenario,
  clusters: readonly StackCluster[],
  env: StackEnv = {},
  options: UseStackOptions = {},
): Stack {
  return useStarted(async () => {
    const stack = await startStack(scenario, clusters, typeof env === 'function' ? env() : env);
    return { stack, scopes: undefined };
  }, options).stack;
}

/** useStack for startAuthStack: the access-control stack and its keys' scopes. */
export function useAuthStack(
  env: StackEnv = {},
  extraKeys: readonly Record<string, unknown>[] = [],
  options: UseStackOptions = {},
): { readonly stack: Stack; readonly scopes: Scopes } {
  const started = useStarted(
    () => startAuthStack(typeof env === 'function' ? env() : env, extraKeys),
    options,
  );
  return {
    stack: started.stack,
    get scopes() {
      return started.scopes;
    },
  };
}

function useStarted<S>(
  start: () => Promise<{ stack: Stack; scopes: S }>,
  { closeFirst }: UseStackOptions,
): {
  stack: Stack;
  readonly scopes: S;
} {
  let running: { stack: Stack; scopes: S } | undefined;
  beforeAll(async () => {
    running = await start();
  });
  afterAll(async () => {
    try {
      await closeFirst?.();
    } finally {
      await running?.stack.close();
    }
  });
  const current = () => {
    if (!running)
      throw new Error('the stack is not running: read it in a hook or test of its describe block');
    return running;
  };
  return {
    stack: {
      get model() {
        return current().stack.model;
      },
      get app() {
        return current().stack.app;
      },
      get url() {
        return current().stack.url;
      },
      get prometheus() {
        return current().stack.prometheus;
      },
      close: () => current().stack.close(),
    },
    get scopes() {
      return current().scopes;
    },
  };
}
