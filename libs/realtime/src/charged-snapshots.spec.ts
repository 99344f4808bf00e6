import { DomainError, ErrorCode } from '@kcloud/common';
import { chargedPerSnapshot } from './charged-snapshots';

/** A source that counts what its consumer did: pulls and whether it was unsubscribed (`return`). */
function source() {
  let pulled = 0;
  let returned = false;
  const it: AsyncIterableIterator<number> = {
    next: async () => ({ value: ++pulled, done: false }),
    return: async () => {
      returned = true;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]: () => it,
  };
  return { it, pulled: () => pulled, returned: () => returned };
}

describe('chargedPerSnapshot', () => {
  it('charges each snapshot before handing it on, and ends with RATE_LIMITED at the first refusal', async () => {
    const s = source();
    let budget = 2;
    const charged = chargedPerSnapshot(s.it, async () => budget-- > 0);
    expect((await charged.next()).value).toBe(1);
    expect((await charged.next()).value).toBe(2);
    const refused = await charged.next();
    expect(refused.done).toBe(false);
    expect(refused.value).toBeInstanceOf(DomainError);
    expect((refused.value as DomainError).code).toBe(ErrorCode.RATE_LIMITED);
    expect(s.returned()).toBe(true);
    expect(await charged.next()).toEqual({ value: undefined, done: true });
    expect(s.pulled()).toBe(3);
  });

  it('unsubscribes from the source when the subscriber leaves', async () => {
    const s = source();
    const charged = chargedPerSnapshot(s.it, async () => true);
    await charged.next();
    await charged.return!();
    expect(s.returned()).toBe(true);
    expect((await charged.next()).done).toBe(true);
  });
});
