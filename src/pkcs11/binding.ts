import { createRequire } from 'node:module';
import type * as Pkcs11 from 'pkcs11js';
import {
  CardRemovedError,
  Pkcs11ModuleError,
  SmartCardError,
  UnsupportedEnvironmentError,
} from '../errors.js';

/** The pkcs11js module (its types; the binding itself is loaded on first use).
 *
 * @category Cards
 */
export type Binding = typeof Pkcs11;
/** A loaded PKCS#11 module, as pkcs11js drives it.
 *
 * @category Cards
 */
export type Library = Pkcs11.PKCS11;
/** A slot, session or object handle.
 *
 * @category Cards
 */
export type Handle = Buffer;
/** An attribute template.
 *
 * @category Cards
 */
export type Template = Pkcs11.Template;

/** CK_SLOT_INFO flags: pkcs11js exports them at run time, its typings leave them out.
 *
 * @category Cards
 */
export const CKF_TOKEN_PRESENT = 0x1;
export const CKF_REMOVABLE_DEVICE = 0x2;
/** CK_SESSION_INFO states in which the user is logged in.
 *
 * @category Cards
 */
export const CKS_RO_USER_FUNCTIONS = 1;
export const CKS_RW_USER_FUNCTIONS = 3;

let binding: Binding | undefined;

/** The pkcs11js binding, loaded on first use (it is an optional peer dependency).
 *
 * @category Cards
 */
export function loadBinding(): Binding {
  if (binding !== undefined) return binding;
  try {
    binding = createRequire(import.meta.url)('pkcs11js') as Binding;
  } catch (cause) {
    throw new UnsupportedEnvironmentError(
      'smartcard-2fa/pkcs11 needs the pkcs11js binding: npm install pkcs11js (it builds natively; on Debian, with build-essential and python3).',
      { cause },
    );
  }
  return binding;
}

/** The CKR name a pkcs11js error carries (`CKR_PIN_INCORRECT`), or `undefined`.
 *
 * @category Cards
 */
export function ckrOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const match = /^(CKR_[A-Z0-9_]+)/.exec(error.message);
  return match?.[1];
}

/** CKRs that mean the token is gone (taken out, or its slot vanished). */
const REMOVED = new Set([
  'CKR_TOKEN_NOT_PRESENT',
  'CKR_DEVICE_REMOVED',
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_SESSION_CLOSED',
  'CKR_SLOT_ID_INVALID',
  'CKR_TOKEN_NOT_RECOGNIZED',
]);

/** Whether `error` says the token was removed.
 *
 * @category Cards
 */
export function isRemoval(error: unknown): boolean {
  const ckr = ckrOf(error);
  return ckr !== undefined && REMOVED.has(ckr);
}

/**
 * The SDK error for a module's failure: {@link CardRemovedError} when the token is gone, else
 * {@link Pkcs11ModuleError} with the return value's name and number.
 *
 * @category Cards
 */
export function moduleFault(error: unknown, what: string): SmartCardError {
  if (SmartCardError.is(error)) return error;
  if (isRemoval(error)) {
    return new CardRemovedError(
      `The token was removed (${ckrOf(error)} while ${what}). Insert it and try again.`,
      { cause: error },
    );
  }
  const ckr = ckrOf(error);
  const code = (error as { code?: unknown }).code;
  const method = (error as { method?: unknown }).method;
  return new Pkcs11ModuleError(
    `The PKCS#11 module failed while ${what}: ${ckr ?? String(error)}.`,
    {
      ckr: ckr ?? 'CKR_GENERAL_ERROR',
      returnValue: typeof code === 'number' ? code : 0x5,
      ...(typeof method === 'string' ? { method } : {}),
      cause: error,
    },
  );
}

interface Loaded {
  readonly lib: Library;
  refs: number;
  /** Whether this SDK initialised the module (and so finalises it). */
  readonly owned: boolean;
}

const modules = new Map<string, Loaded>();

/**
 * Loads and initialises the module at `path` once per process; every user holds a reference
 * and gives it back with {@link releaseModule}. A module already initialised by other code in
 * this process is used as it is, and never finalised by the SDK.
 *
 * @category Cards
 */
export function acquireModule(path: string): Library {
  const loaded = modules.get(path);
  if (loaded !== undefined) {
    loaded.refs += 1;
    return loaded.lib;
  }
  const pk = loadBinding();
  const lib = new pk.PKCS11();
  try {
    lib.load(path);
  } catch (cause) {
    throw new UnsupportedEnvironmentError(
      `The PKCS#11 module ${path} could not be loaded: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
  let owned = true;
  try {
    lib.C_Initialize();
  } catch (error) {
    if (ckrOf(error) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') {
      lib.close();
      throw moduleFault(error, 'initialising the module');
    }
    owned = false;
  }
  modules.set(path, { lib, refs: 1, owned });
  return lib;
}

/** Gives back a reference from {@link acquireModule}; the last one finalises the module.
 *
 * @category Cards
 */
export function releaseModule(path: string): void {
  const loaded = modules.get(path);
  if (loaded === undefined) return;
  loaded.refs -= 1;
  if (loaded.refs > 0) return;
  modules.delete(path);
  try {
    if (loaded.owned) loaded.lib.C_Finalize();
  } catch {
    // finalising is best effort: the module is dropped either way
  }
  loaded.lib.close();
}
