import { InvalidInputError, StateCorruptError } from '../errors.js';
import { constantTimeEqual, toBase64, utf8 } from '../lib/bytes.js';
import { canonicalJson } from '../lib/canonical-json.js';
import { savedRecord } from '../lib/saved-record.js';
import { HASH_BYTES, type HashedSecret, MAX_ITERATIONS, SALT_BYTES } from './hash.js';
import { DEFAULT_PIN_RULES, type PinPolicyRules, resolveRules } from './rules.js';

const saved = savedRecord('saved PIN state');
const {
  corrupt,
  object: objectOf,
  integer: integerOf,
  boolean: booleanOf,
  base64: base64Of,
} = saved;
/**
 * The credential that unblocks a blocked PIN: a PUK (text, as PIV cards) or an admin key
 * (16, 24 or 32 bytes, as Windows virtual smart cards).
 *
 * @example
 * ```ts
 * import { PinState, type UnblockKind } from 'smartcard-2fa/pin';
 *
 * const state = await PinState.create({ unblock: { kind: 'puk', value: '87654321' } });
 * const kinds: UnblockKind[] = state.status().unblock.map((slot) => slot.kind);
 * console.log(kinds); // ['puk']
 * ```
 *
 * @category PIN
 */
export type UnblockKind = 'puk' | 'admin-key';

/** One unblock credential, hashed, with its own counter. Internal.
 *
 * @category PIN
 */
export interface UnblockSlot {
  readonly kind: UnblockKind;
  readonly secret: HashedSecret;
  readonly attemptsRemaining: number;
}

/** The PIN state of one card, in memory. Internal.
 *
 * @category PIN
 */
export interface PinStateData {
  readonly policy: Readonly<PinPolicyRules>;
  readonly iterations: number;
  readonly pin: HashedSecret;
  readonly attemptsRemaining: number;
  readonly mustChange: boolean;
  readonly isDefault: boolean;
  /** At most one credential of each kind, in the order `puk`, `admin-key`. */
  readonly unblock: readonly UnblockSlot[];
}

/**
 * The PIN state of one card as plain JSON-safe data, for storage. It holds no secret in clear:
 * the PIN and the unblock credential appear only as salted PBKDF2 hashes.
 *
 * `integrity` is an HMAC-SHA-256 tag when the state was saved with an integrity key, which
 * makes any change without the key detectable; without a key it is a SHA-256 digest, which
 * detects truncation and corruption but not a deliberate edit. Keep keyless records where only
 * the card's owner can write.
 *
 * @example
 * ```ts
 * import { PinState, type PinStateRecord } from 'smartcard-2fa/pin';
 *
 * const record: PinStateRecord = await (await PinState.create()).toRecord();
 * const text = JSON.stringify(record); // to a file or a database: no secret in clear
 * const restored = await PinState.restore(text);
 * console.log(restored.status().mustChange); // true
 * ```
 *
 * @category PIN
 */
export interface PinStateRecord {
  /** Always `smartcard-2fa/pin-state`. */
  readonly format: typeof FORMAT;
  /** The record layout's version; a record of an unknown version is refused. */
  readonly version: typeof VERSION;
  /** The card's PIN policy. */
  readonly policy: PinPolicyRules;
  /** How the PIN and unblock credential were hashed. */
  readonly kdf: { readonly algorithm: 'PBKDF2-SHA-256'; readonly iterations: number };
  /** The PIN's salt and hash, base64. */
  readonly pin: { readonly salt: string; readonly hash: string };
  /** Wrong PINs still allowed; 0 means blocked. */
  readonly attemptsRemaining: number;
  /** The PIN must be changed before the card is used further. */
  readonly mustChange: boolean;
  /** The PIN is the policy's default PIN. */
  readonly isDefault: boolean;
  /** The unblock credentials (hashed), each with its own counter; empty when there are none. */
  readonly unblock: readonly {
    readonly kind: UnblockKind;
    readonly salt: string;
    readonly hash: string;
    readonly attemptsRemaining: number;
  }[];
  /** A tag over every other field: HMAC-SHA-256 with the integrity key, else SHA-256. */
  readonly integrity: { readonly algorithm: 'HMAC-SHA-256' | 'SHA-256'; readonly tag: string };
}

const FORMAT = 'smartcard-2fa/pin-state' as const;
/** The kinds of unblock credential, in the order records list them.
 *
 * @category PIN
 */
export const UNBLOCK_KINDS: readonly UnblockKind[] = ['puk', 'admin-key'];
const VERSION = 1 as const;

/** Turns an integrity key given as bytes into an HMAC key; checks a given CryptoKey.
 *
 * @category PIN
 */
export async function importIntegrityKey(
  crypto: Crypto,
  key: CryptoKey | Uint8Array<ArrayBuffer> | undefined,
): Promise<CryptoKey | undefined> {
  if (key === undefined) return undefined;
  if (key instanceof Uint8Array) {
    if (key.length < 16) throw new InvalidInputError('An integrity key needs at least 16 bytes.');
    return crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  }
  const algorithm = (key as { algorithm?: { name?: unknown; hash?: { name?: unknown } } })
    .algorithm;
  if (
    algorithm?.name !== 'HMAC' ||
    algorithm.hash?.name !== 'SHA-256' ||
    !key.usages.includes('sign')
  ) {
    throw new InvalidInputError(
      'The integrity key must be an HMAC CryptoKey with hash SHA-256, usable to sign.',
    );
  }
  return key;
}

/** Encodes `data` as a record with its integrity tag.
 *
 * @category PIN
 */
export async function encodeRecord(
  crypto: Crypto,
  data: PinStateData,
  key: CryptoKey | undefined,
): Promise<PinStateRecord> {
  const body = {
    format: FORMAT,
    version: VERSION,
    policy: { ...data.policy },
    kdf: { algorithm: 'PBKDF2-SHA-256' as const, iterations: data.iterations },
    pin: { salt: toBase64(data.pin.salt), hash: toBase64(data.pin.hash) },
    attemptsRemaining: data.attemptsRemaining,
    mustChange: data.mustChange,
    isDefault: data.isDefault,
    unblock: data.unblock.map((slot) => ({
      kind: slot.kind,
      salt: toBase64(slot.secret.salt),
      hash: toBase64(slot.secret.hash),
      attemptsRemaining: slot.attemptsRemaining,
    })),
  };
  const algorithm = key === undefined ? ('SHA-256' as const) : ('HMAC-SHA-256' as const);
  const tag = toBase64(await integrityTag(crypto, body, key));
  return { ...body, integrity: { algorithm, tag } };
}

/** Checks and decodes a record; throws {@link StateCorruptError} for anything not valid.
 *
 * @category PIN
 */
export async function decodeRecord(
  crypto: Crypto,
  input: unknown,
  key: CryptoKey | undefined,
): Promise<PinStateData> {
  // Through JSON text either way, so that only plain data goes on (no getters, cycles, BigInts).
  const value = saved.json(() =>
    typeof input === 'string' ? input : (JSON.stringify(input) ?? 'null'),
  );
  const record = objectOf(value, 'the saved PIN state');
  if (record.format !== FORMAT) throw corrupt('it is not a smartcard-2fa PIN state');
  if (record.version !== VERSION)
    throw corrupt(`version ${String(record.version)} is not supported`);

  const { integrity, ...body } = record;
  const check = objectOf(integrity, 'integrity');
  const expected = key === undefined ? 'SHA-256' : 'HMAC-SHA-256';
  if (check.algorithm !== expected) {
    throw corrupt(
      key === undefined
        ? 'it was saved with an integrity key; pass the same key to restore it'
        : 'it carries no keyed integrity tag, but an integrity key was given',
    );
  }
  const tag = base64Of(check.tag, 'integrity.tag', 32);
  if (!constantTimeEqual(tag, await integrityTag(crypto, body, key))) {
    throw corrupt('its integrity check failed (edited, or saved with another key)');
  }

  let policy: Readonly<PinPolicyRules>;
  try {
    policy = resolveRules(DEFAULT_PIN_RULES, objectOf(record.policy, 'policy'));
  } catch (cause) {
    throw new StateCorruptError('The saved PIN state has an invalid policy.', { cause });
  }
  const kdf = objectOf(record.kdf, 'kdf');
  if (kdf.algorithm !== 'PBKDF2-SHA-256') throw corrupt('its kdf is not PBKDF2-SHA-256');
  const pin = objectOf(record.pin, 'pin');
  if (!Array.isArray(record.unblock) || record.unblock.length > UNBLOCK_KINDS.length) {
    throw corrupt('unblock is not a list of at most two credentials');
  }
  const unblock = record.unblock.map((value: unknown, index): UnblockSlot => {
    const slot = objectOf(value, `unblock[${index}]`);
    if (slot.kind !== UNBLOCK_KINDS[index] && !(index === 0 && slot.kind === 'admin-key')) {
      throw corrupt(`unblock[${index}].kind is not "puk" or "admin-key" in that order`);
    }
    return {
      kind: slot.kind as UnblockKind,
      secret: secretOf(slot, `unblock[${index}]`),
      attemptsRemaining: integerOf(
        slot.attemptsRemaining,
        `unblock[${index}].attemptsRemaining`,
        0,
        policy.maxUnblockAttempts,
      ),
    };
  });
  if (new Set(unblock.map((slot) => slot.kind)).size !== unblock.length) {
    throw corrupt('unblock lists a kind twice');
  }
  return {
    policy,
    iterations: integerOf(kdf.iterations, 'kdf.iterations', 1, MAX_ITERATIONS),
    pin: secretOf(pin, 'pin'),
    attemptsRemaining: integerOf(
      record.attemptsRemaining,
      'attemptsRemaining',
      0,
      policy.maxAttempts,
    ),
    mustChange: booleanOf(record.mustChange, 'mustChange'),
    isDefault: booleanOf(record.isDefault, 'isDefault'),
    unblock,
  };
}

async function integrityTag(
  crypto: Crypto,
  body: unknown,
  key: CryptoKey | undefined,
): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = utf8(canonicalJson(body));
  const tag =
    key === undefined
      ? await crypto.subtle.digest('SHA-256', bytes)
      : await crypto.subtle.sign('HMAC', key, bytes);
  return new Uint8Array(tag);
}

function secretOf(value: Record<string, unknown>, name: string): HashedSecret {
  return {
    salt: base64Of(value.salt, `${name}.salt`, SALT_BYTES),
    hash: base64Of(value.hash, `${name}.hash`, HASH_BYTES),
  };
}
