import { constantTimeEqual } from '../lib/bytes.js';

/** Bytes of salt per hashed secret.
 *
 * @category PIN
 */
export const SALT_BYTES = 16;
/** Bytes of PBKDF2 output per hashed secret.
 *
 * @category PIN
 */
export const HASH_BYTES = 32;
/** Default PBKDF2-SHA-256 iterations: a deliberate cost per PIN check, tunable per card.
 *
 * @category PIN
 */
export const DEFAULT_ITERATIONS = 100_000;
/** Highest iteration count accepted, so that saved state cannot make a check run for minutes.
 *
 * @category PIN
 */
export const MAX_ITERATIONS = 10_000_000;

/** A secret as stored: never the secret itself, only its salted PBKDF2-SHA-256 hash.
 *
 * @category PIN
 */
export interface HashedSecret {
  readonly salt: Uint8Array<ArrayBuffer>;
  readonly hash: Uint8Array<ArrayBuffer>;
}

/** Hashes `secret` with a fresh random salt.
 *
 * @category PIN
 */
export async function hashSecret(
  crypto: Crypto,
  secret: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<HashedSecret> {
  const salt = crypto.getRandomValues(new Uint8Array(SALT_BYTES));
  return { salt, hash: await derive(crypto, secret, salt, iterations) };
}

/** Whether `secret` is the one `stored` was made from; compares in constant time.
 *
 * @category PIN
 */
export async function matchesSecret(
  crypto: Crypto,
  secret: Uint8Array<ArrayBuffer>,
  stored: HashedSecret,
  iterations: number,
): Promise<boolean> {
  const candidate = await derive(crypto, secret, stored.salt, iterations);
  return constantTimeEqual(candidate, stored.hash);
}

async function derive(
  crypto: Crypto,
  secret: Uint8Array<ArrayBuffer>,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<Uint8Array<ArrayBuffer>> {
  const key = await crypto.subtle.importKey('raw', secret, 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    key,
    HASH_BYTES * 8,
  );
  return new Uint8Array(bits);
}
