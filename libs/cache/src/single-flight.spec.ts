import { SingleFlight } from './single-flight';

/** A fake executor: counts executions and answers only when the test says so. */
function executor() {
  let executions = 0;
  const pending: ((value: string | undefined) => void)[] = [];
  return {
    run: () =>
      new Promise<string | undefined>((resolve) => {
        executions++;
        pending.push(resolve);
      }),
    answer: (value: string | undefined) => pending.shift()!(value),
    get executions() {
      return executions;
    },
  };
}

/** What a request does: join the key's flight, or lead it — execute and finish it with what it got. */
async function request(flights: SingleFlight<string>, key: string, exec: ReturnType<typeof executor>) {
  const joined = flights.joinOrStart(key);
  if (joined) {
    const shared = await joined;
    if (shared !== undefined) return shared;
    // The leader had nothing to share: execute, without leading.
    return exec.run();
  }
  const value = await exec.run();
  flights.finish(key, value);
  return value;
}

describe('SingleFlight', () => {
  afterEach(() => jest.useRealTimers());

  it('executes identical concurrent requests once and gives every one the same value', async () => {
    const flights = new SingleFlight<string>(10_000);
    const exec = executor();
    const answers = Promise.all(Array.from({ length: 5 }, () => request(flights, 'k', exec)));
    exec.answer('the answer');
    expect(await answers).toEqual(Array(5).fill('the answer'));
    expect(exec.executions).toBe(1);
    expect(flights.size).toBe(0);
  });

  it('never shares between keys', async () => {
    const flights = new SingleFlight<string>(10_000);
    const exec = executor();
    const a = Promise.all([request(flights, 'scope-a', exec), request(flights, 'scope-a', exec)]);
    const b = Promise.all([request(flights, 'scope-b', exec), request(flights, 'scope-b', exec)]);
    expect(exec.executions).toBe(2);
    exec.answer('a');
    exec.answer('b');
    expect([await a, await b]).toEqual([
      ['a', 'a'],
      ['b', 'b'],
    ]);
  });

  it('lets the joiners execute themselves when the leader has nothing to share', async () => {
    const flights = new SingleFlight<string>(10_000);
    const exec = executor();
    const answers = Promise.all(Array.from({ length: 3 }, () => request(flights, 'k', exec)));
    exec.answer(undefined);
    // The two joiners learn it on their next turn and execute.
    while (exec.executions < 3) await Promise.resolve();
    exec.answer('second');
    exec.answer('third');
    expect(await answers).toEqual([undefined, 'second', 'third']);
  });

  it('releases the joiners of a leader that outlasts the wait, and the next request leads anew', async () => {
    jest.useFakeTimers();
    const flights = new SingleFlight<string>(1_000);
    const exec = executor();
    const leader = request(flights, 'k', exec);
    const joiner = flights.joinOrStart('k')!;
    jest.advanceTimersByTime(999);
    expect(flights.size).toBe(1);
    jest.advanceTimersByTime(1);
    expect(await joiner).toBeUndefined();
    expect(flights.joinOrStart('k')).toBeUndefined();
    // The late leader's finish ends the new flight with a valid answer for the key.
    const late = flights.join('k')!;
    exec.answer('late');
    expect([await leader, await late]).toEqual(['late', 'late']);
  });

  it('join alone never starts a flight', () => {
    const flights = new SingleFlight<string>(1_000);
    expect(flights.join('k')).toBeUndefined();
    expect(flights.size).toBe(0);
  });
});
