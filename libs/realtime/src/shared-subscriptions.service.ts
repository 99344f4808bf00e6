import { Injectable } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { ServerOptions } from 'graphql-ws';
import type { Counter } from 'prom-client';
import { principalOfContext } from '@kcloud/common';
import { SUBSCRIPTION_EXECUTIONS } from './realtime.metrics';
import { sharedDocuments } from './shared-documents';
import { sharedSubscribe } from './shared-execution';

/**
 * The graphql-ws `subscribe` of the process: one execution per event for all subscribers of the same document,
 * variables and effective scope (role and tenant scope of the key, never its name, so two keys with the same grant
 * share). Counted in kcloud_subscription_executions_total.
 */
@Injectable()
export class SharedSubscriptions {
  readonly subscribe: ReturnType<typeof sharedSubscribe>;

  constructor(@InjectMetric(SUBSCRIPTION_EXECUTIONS) executions: Counter<string>) {
    this.subscribe = sharedSubscribe({
      scopeKeyOf: scopeKeyOf,
      executed: (field) => executions.inc({ field }),
    });
  }

  /** One parsed, validated document per distinct subscription text (see sharedDocuments). */
  private readonly documents = sharedDocuments();

  /** To spread into `subscriptions['graphql-ws']` (Nest passes it to useServer; its type only lists the hooks). */
  wsOptions(): Pick<ServerOptions, 'subscribe' | 'parse' | 'validate'> {
    const { parse, validate } = this.documents;
    return { subscribe: this.subscribe, parse, validate: validate as ServerOptions['validate'] };
  }
}

export function scopeKeyOf(contextValue: unknown): string {
  const principal = principalOfContext(contextValue as Parameters<typeof principalOfContext>[0]);
  if (!principal) return 'anonymous';
  const { clusters, namespaces } = principal.scope;
  return JSON.stringify([
    principal.role,
    clusters ? [...clusters].sort() : null,
    namespaces ? [...namespaces].sort() : null,
  ]);
}
