import { firstValueFrom, type Subscription, timeout } from 'rxjs';
import { CredentialChanges } from './credential-changes';
import type { Principal } from './principal';

const principal = (name: string): Principal =>
  ({ name, role: 'partner', scope: { clusters: undefined, namespaces: ['team-a'] } }) as unknown as Principal;

describe('CredentialChanges', () => {
  const alice = principal('alice');
  const bob = principal('bob');
  let subs: Subscription[] = [];
  afterEach(() => subs.forEach((s) => s.unsubscribe()));

  it('ends a stream at the first change that no longer grants its principal', () => {
    const changes = new CredentialChanges();
    let ended = 0;
    subs = [changes.revoked(alice).subscribe(() => ended++)];
    changes.announce(() => true);
    expect(ended).toBe(0);
    changes.announce((p) => p.name !== 'alice');
    changes.announce((p) => p.name !== 'alice');
    expect(ended).toBe(1);
  });

  it('ends at once a stream that starts listening after the change that revoked its principal was announced', async () => {
    // A stream authenticates, awaits its slot, then listens: the key may expire in between.
    const changes = new CredentialChanges();
    changes.announce((p) => p.name !== 'alice');
    await expect(firstValueFrom(changes.revoked(alice).pipe(timeout(100)))).resolves.toBeDefined();
    let bobEnded = false;
    subs = [changes.revoked(bob).subscribe(() => (bobEnded = true))];
    expect(bobEnded).toBe(false);
  });

  it('judges a late listener by the keys in force now, not by the ones when the change was announced', () => {
    const changes = new CredentialChanges();
    let granted = false;
    changes.announce(() => granted);
    granted = true; // the key came back (a later reload) before the stream listened
    let ended = false;
    subs = [changes.revoked(alice).subscribe(() => (ended = true))];
    expect(ended).toBe(false);
  });

  it('never ends an anonymous stream', () => {
    const changes = new CredentialChanges();
    changes.announce(() => false);
    let ended = false;
    subs = [changes.revoked(undefined).subscribe(() => (ended = true))];
    expect(ended).toBe(false);
  });
});
