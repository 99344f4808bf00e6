import type { Scenario } from '@kcloud/fleet-model';
import { type Scopes, startAuthStack } from './auth-fixture';
import { type Stack, type StackCluster, startStack } from './stack';

/**
 * Starts a stack in `beforeAll` and closes it in `afterAll` of the describe block (or file) it is called in. The
 * returned object reads the running stack, so a suite writes `stack.url` / `stack.model` as it would with the result
 * of startStack; reading it outside a hook or test (before the stack runs) throws.
 */
export function useStack(
  scenario: Scenario,
  clusters: readonly StackCluster[],
  env: Record<string, string> = {},
): Stack {
  return useStarted(async () => {
    const stack = await startStack(scenario, clusters, env);
    return { stack, scopes: undefined };
  }).stack;
}

/** useStack for startAuthStack: the access-control stack and its keys' scopes. */
export function useAuthStack(
  env: Record<string, string> = {},
  extraKeys: readonly Record<string, unknown>[] = [],
): { readonly stack: Stack; readonly scopes: Scopes } {
  const started = useStarted(() => startAuthStack(env, extraKeys));
  return {
    stack: started.stack,
    get scopes() {
      return started.scopes;
    },
  };
}

function useStarted<S>(start: () => Promise<{ stack: Stack; scopes: S }>): {
  stack: Stack;
  readonly scopes: S;
} {
  let running: { stack: Stack; scopes: S } | undefined;
  beforeAll(async () => {
    running = await start();
  });
  afterAll(async () => running?.stack.close());
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
