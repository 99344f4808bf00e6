import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialChanges, loadConfig, type Principal } from '@kcloud/common';
import { sha256Hex } from './api-key';
import { ApiKeysReloader } from './api-keys-reloader.service';
import { authSettingsOf } from './auth-settings';
import { Authenticator } from './authenticator';
import type { WsAccess } from './graphql/ws-access.service';
import type { KeyExpiryWatch } from './key-expiry.service';

const entry = (name: string, secret: string) => ({ name, sha256: sha256Hex(secret), role: 'partner' });

function setup() {
  const file = join(mkdtempSync(join(tmpdir(), 'kcloud-reloader-')), 'keys.json');
  writeFileSync(file, JSON.stringify([entry('kept', 'kept-key'), entry('dropped', 'dropped-key')]));
  const config = loadConfig({
    API_KEYS_FILE: file,
    API_KEYS: JSON.stringify([entry('from-env', 'env-key')]),
  });
  const auth = new Authenticator(authSettingsOf(config));
  const ws = { revalidate: jest.fn() };
  const expiry = { rearm: jest.fn() };
  const credentials = new CredentialChanges();
  const reloader = new ApiKeysReloader(
    config,
    authSettingsOf(config),
    auth,
    ws as unknown as WsAccess,
    credentials,
    expiry as unknown as KeyExpiryWatch,
  );
  reloader.onModuleInit();
  reloader.onModuleDestroy(); // no timer: the test calls reload() itself
  const principal = (key: string) =>
    (auth.authenticate({ kind: 'key', key }) as { principal: Principal }).principal;
  return { file, auth, ws, expiry, credentials, reloader, principal };
}

/** The names of the keys in force, sorted. */
const keyNames = (auth: { keys(): readonly { name: string }[] }): string[] =>
  auth
    .keys()
    .map((k) => k.name)
    .sort();

describe('ApiKeysReloader on an invalid file (fail-closed revocation)', () => {
  it('revokes the file keys the edit no longer carries, keeps the others and API_KEYS, and ends their streams', () => {
    const { file, auth, ws, expiry, credentials, reloader, principal } = setup();
    const ended: string[] = [];
    for (const key of ['kept-key', 'dropped-key', 'env-key']) {
      const p = principal(key);
      credentials.revoked(p).subscribe(() => ended.push(p.name));
    }
    writeFileSync(file, JSON.stringify([{ ...entry('kept', 'kept-key'), role: 'superuser' }]));
    expect(reloader.reload()).toBe('rejected');
    expect(keyNames(auth)).toEqual(['from-env', 'kept']);
    expect(ended).toEqual(['dropped']);
    expect(ws.revalidate).toHaveBeenCalledTimes(1);
    expect(expiry.rearm).toHaveBeenCalledTimes(1);
  });

  it('changes nothing when the new text cannot be read as a list (a half-written file)', () => {
    const { file, auth, ws, reloader } = setup();
    writeFileSync(file, '[{"name": "kept", "sha256": ');
    expect(reloader.reload()).toBe('rejected');
    expect(keyNames(auth)).toEqual(['dropped', 'from-env', 'kept']);
    expect(ws.revalidate).not.toHaveBeenCalled();
  });
});
