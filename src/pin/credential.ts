import { InvalidInputError } from '../errors.js';
import { utf8 } from '../lib/bytes.js';
import type { UnblockKind } from './record.js';
import { inCharset } from './rules.js';

/**
 * The credential that unblocks a card's PIN: a PUK of 6 to 127 printable ASCII characters, or
 * an admin key of 16, 24 or 32 bytes (Windows virtual smart cards use a 24-byte 3DES key).
 *
 * @example
 * ```ts
 * import { PinState, type UnblockCredential } from 'smartcard-2fa/pin';
 *
 * const puk: UnblockCredential = { kind: 'puk', value: '87654321' };
 * const adminKey: UnblockCredential = { kind: 'admin-key', value: new Uint8Array(24) };
 * const state = await PinState.create({ unblock: [puk, adminKey] });
 * console.log(state.status().unblock.map((slot) => slot.kind)); // ['puk', 'admin-key']
 * ```
 *
 * @category PIN
 */
export type UnblockCredential =
  | { readonly kind: 'puk'; readonly value: string }
  | { readonly kind: 'admin-key'; readonly value: Uint8Array<ArrayBuffer> };

const PUK_MIN = 6;
const PUK_MAX = 127;
const ADMIN_KEY_LENGTHS = [16, 24, 32];

/** Checks a credential's shape and returns the bytes to hash; throws InvalidInputError.
 *
 * @category PIN
 */
export function checkUnblockCredential(credential: unknown): {
  kind: UnblockKind;
  bytes: Uint8Array<ArrayBuffer>;
} {
  const given = credential as { kind?: unknown; value?: unknown } | null;
  if (typeof given !== 'object' || given === null) {
    throw new InvalidInputError('An unblock credential must be { kind, value }.');
  }
  if (given.kind === 'puk') {
    const puk = given.value;
    if (
      typeof puk !== 'string' ||
      puk.length < PUK_MIN ||
      puk.length > PUK_MAX ||
      !inCharset(puk, 'printable-ascii')
    ) {
      throw new InvalidInputError(
        `A PUK must be ${PUK_MIN} to ${PUK_MAX} printable ASCII characters.`,
      );
    }
    return { kind: 'puk', bytes: utf8(puk) };
  }
  if (given.kind === 'admin-key') {
    const adminKey = given.value;
    if (!(adminKey instanceof Uint8Array) || !ADMIN_KEY_LENGTHS.includes(adminKey.length)) {
      throw new InvalidInputError('An admin key must be a Uint8Array of 16, 24 or 32 bytes.');
    }
    return { kind: 'admin-key', bytes: new Uint8Array(adminKey) };
  }
  throw new InvalidInputError('An unblock credential kind must be "puk" or "admin-key".');
}

/**
 * Checks one credential or a list of them (at most one of each kind) and returns them in the
 * order `puk`, `admin-key`; throws InvalidInputError.
 *
 * @category PIN
 */
export function checkUnblockCredentials(
  credentials: unknown,
): { kind: UnblockKind; bytes: Uint8Array<ArrayBuffer> }[] {
  const list = Array.isArray(credentials) ? credentials : [credentials];
  const checked = list.map(checkUnblockCredential);
  if (new Set(checked.map((c) => c.kind)).size !== checked.length) {
    throw new InvalidInputError('Give at most one unblock credential of each kind.');
  }
  return checked.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'puk' ? -1 : 1));
}

/** The kind of credential a value given to `unblock` is: a string is a PUK, bytes an admin key.
 *
 * @category PIN
 */
export function credentialKind(value: unknown): UnblockKind {
  if (typeof value === 'string') return 'puk';
  if (value instanceof Uint8Array) return 'admin-key';
  throw new InvalidInputError(
    'An unblock credential is a PUK (string) or an admin key (Uint8Array).',
  );
}
