import { defaultScenario, FleetModel, type Scenario } from '@kcloud/fleet-model';
import { type RunningFleetSim, startFleetSim } from '../server';

export interface SimPerTest {
  /** This test's model (a fresh one per test: controls and faults never leak between tests). */
  readonly model: FleetModel;
  readonly sim: RunningFleetSim;
  /** Starts a new simulator on the same model, for a test that closed the first one; afterEach closes it. */
  restart(): Promise<void>;
  get(path: string): Promise<Response>;
  /** POSTs `body` as JSON, or as it is when it is already a string (to send malformed JSON). */
  post(path: string, body: unknown): Promise<Response>;
}

/** Registers beforeEach/afterEach in the calling describe: a new model and simulator on a free port per test. */
export function simPerTest(scenario: () => Scenario = defaultScenario): SimPerTest {
  let model: FleetModel | undefined;
  let sim: RunningFleetSim | undefined;
  const running = (): RunningFleetSim => {
    if (!sim) throw new Error('simPerTest: used outside a test');
    return sim;
  };
  const restart = async (): Promise<void> => {
    if (!model) throw new Error('simPerTest: used outside a test');
    sim = await startFleetSim({ model, port: 0 });
  };
  beforeEach(async () => {
    model = new FleetModel(scenario());
    await restart();
  });
  afterEach(async () => sim?.close());
  return {
    get model() {
      if (!model) throw new Error('simPerTest: used outside a test');
      return model;
    },
    get sim() {
      return running();
    },
    restart,
    get: (path) => fetch(`${running().url}${path}`),
    post: (path, body) =>
      fetch(`${running().url}${path}`, {
        method: 'POST',
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
  };
}
