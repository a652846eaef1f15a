import { beforeAll } from 'vitest';
import type { CertificateAuthority } from '../../../src/enrollment/index.js';
import type { testClock } from '../../enrollment/support/ca.js';
import { signInPki } from './sign-in.js';

/** The CA the tests of one file enrol their cards with, and the clock it and the server read. */
export interface FilePki {
  readonly ca: CertificateAuthority;
  readonly clock: ReturnType<typeof testClock>;
}

/**
 * The file's CA and clock from signInPki, made once in a beforeAll of the file that calls this
 * (at its top level). Read `ca` and `clock` in tests and hooks: before the beforeAll has run,
 * reading them throws.
 */
export function signInPkiBeforeAll(): FilePki {
  let made: FilePki | undefined;
  beforeAll(async () => {
    made = await signInPki();
  });
  const pki = (): FilePki => {
    if (made === undefined) throw new Error('the CA is made in beforeAll: read it in a test');
    return made;
  };
  return {
    get ca() {
      return pki().ca;
    },
    get clock() {
      return pki().clock;
    },
  };
}
