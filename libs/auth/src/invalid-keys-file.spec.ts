import type { ApiKeyEntry } from './api-key';
import { sha256Hex } from './api-key';
import { keysRevokedByInvalidFile } from './invalid-keys-file';

const A: ApiKeyEntry = { name: 'a', sha256: sha256Hex('a-key'), role: 'partner' };
const B: ApiKeyEntry = { name: 'b', sha256: sha256Hex('b-key'), role: 'viewer' };
const OTHER = sha256Hex('another-key');

const revoked = (text: unknown) =>
  keysRevokedByInvalidFile([A, B], typeof text === 'string' ? text : JSON.stringify(text)).map((k) => k.name);

describe('keysRevokedByInvalidFile', () => {
  it.each([
    ['text that is not JSON (a half-written file)', '[{"name": "a", "sha256": ', []],
    ['JSON that is not a list', { keys: [] }, []],
    ['a removed key (the other with a bad role)', [{ name: 'a', sha256: A.sha256, role: 'root' }], ['b']],
    [
      'a key rotated under its name, next to a broken entry',
      [
        { name: 'a', sha256: OTHER, role: 'partner' },
        { name: 'b', sha256: B.sha256, role: 'boss' },
      ],
      ['a'],
    ],
    [
      'a hash written in capitals (the same hash)',
      [
        { name: 'a', sha256: A.sha256.toUpperCase(), x: 1 },
        { name: 'b', sha256: B.sha256 },
      ],
      [],
    ],
    [
      'a key renamed but with its hash (not revoked by the edit)',
      [{ name: 'a2', sha256: A.sha256, role: 'x' }],
      ['b'],
    ],
    ['an entry of its name without a readable hash (might be it)', [{ name: 'a', role: 'partner' }], ['b']],
    ['an entry with neither name nor hash readable (might be any)', [{ name: 7, sha256: 7 }], []],
    ['an entry that is not an object (might be any)', [null], []],
    [
      'a malformed hash under its name (not its hash)',
      [
        { name: 'a', sha256: 'not-a-hash' },
        { name: 'b', sha256: B.sha256 },
      ],
      ['a'],
    ],
    ['an empty list (every key unlisted)', [], ['a', 'b']],
  ] as const)('%s', (_name, text, expected) => {
    expect(revoked(text)).toEqual(expected);
  });
});
