import type * as Pkcs11 from 'pkcs11js';
import { clearTpmLockout, pkcs11js, type TestToken } from './tokens.js';

/**
 * Puts a test token back to "fresh": the user PIN set again by the security officer, every
 * object destroyed (key pairs, certificates, the SDK's record), the TPM's lockout cleared. Runs
 * through its own pkcs11js handle on the module the SDK has loaded too (C_Initialize answers
 * CKR_CRYPTOKI_ALREADY_INITIALIZED then, and the module stays the SDK's to finalise).
 */
export function freshToken(token: TestToken): void {
  Object.assign(process.env, token.env);
  if (token.kind === 'tpm') clearTpmLockout(token);
  const pk = pkcs11js();
  const lib = new pk.PKCS11();
  lib.load(token.module);
  let owned = true;
  try {
    lib.C_Initialize();
  } catch (error) {
    if (!(error instanceof Error) || error.message !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
      throw error;
    }
    owned = false;
  }
  try {
    const slot = lib
      .C_GetSlotList(true)
      .find((s) => lib.C_GetTokenInfo(s).label.trim() === token.label);
    if (slot === undefined) throw new Error(`no token labelled ${token.label}`);
    const session = lib.C_OpenSession(slot, pk.CKF_SERIAL_SESSION | pk.CKF_RW_SESSION);
    try {
      logoutQuietly(lib, session);
      lib.C_Login(session, pk.CKU_SO, token.soPin);
      lib.C_InitPIN(session, token.pin);
      lib.C_Logout(session);
      lib.C_Login(session, pk.CKU_USER, token.pin);
      destroyAll(pk, lib, session);
      lib.C_Logout(session);
    } finally {
      lib.C_CloseSession(session);
    }
  } finally {
    if (owned) lib.C_Finalize();
    lib.close();
  }
}

function logoutQuietly(lib: Pkcs11.PKCS11, session: Buffer): void {
  try {
    lib.C_Logout(session);
  } catch {
    // not logged in
  }
}

function destroyAll(pk: typeof Pkcs11, lib: Pkcs11.PKCS11, session: Buffer): void {
  void pk;
  lib.C_FindObjectsInit(session, []);
  const objects = lib.C_FindObjects(session, 1000);
  lib.C_FindObjectsFinal(session);
  for (const object of objects) lib.C_DestroyObject(session, object);
}
