import { FleetModel, type Scenario } from '@kcloud/fleet-model';
import { simulatedSourceSet, type SourceSet, sourceSetOf } from '@kcloud/metrics-source';
import { startStack, type StackCluster } from '../harness/stack';

/** What a contract suite runs its assertions on: one adapter set over a scenario, and the model that is its truth. */
export interface ContractSubject {
  readonly source: SourceSet;
  readonly model: FleetModel;
  close(): Promise<void>;
}

/** The simulated adapters over a fresh model of `scenario`. */
export async function simulatedSubject(scenario: Scenario): Promise<ContractSubject> {
  const model = new FleetModel(scenario);
  return { source: simulatedSourceSet(model), model, close: async () => undefined };
}

/** The Prometheus adapters of a running API, real Prometheus scraping the simulator (see startStack). */
export async function prometheusSubject(
  scenario: Scenario,
  clusters: readonly StackCluster[],
  env: Record<string, string> = {},
): Promise<ContractSubject> {
  const stack = await startStack(scenario, clusters, env);
  return {
    source: sourceSetOf((token) => stack.app.get(token)),
    model: stack.model,
    close: () => stack.close(),
  };
}
