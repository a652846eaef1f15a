/**
 * How {@link RedisChallengeStore} writes a challenge into Redis and reads it back: a version
 * mark and JSON with the challenge bytes in base64url. What is read back must be a record this
 * store wrote, for the id it is read under; anything else is `StateCorruptError`. Internal.
 */
import { StateCorruptError } from '../../errors.js';
import { fromBase64Url, toBase64Url } from '../../lib/bytes.js';
import type { StoredChallenge } from './store.js';

/** The value of a taken challenge's key until it would have expired. */
export const USED = 'U';

/** The mark of a record of this format, before its JSON. */
const MARK = 'C1:';

/** The longest value read back: a record is a few hundred bytes. */
const MAX_VALUE = 4_096;

/** The value a challenge is kept as. */
export function encodeStoredChallenge(record: StoredChallenge): string {
  return `${MARK}${JSON.stringify({
    id: record.id,
    challenge: toBase64Url(record.challenge),
    address: record.address,
    issuedAt: record.issuedAt,
    expiresAt: record.expiresAt,
  })}`;
}

/** The challenge `value` holds, checked to be the record of `id`. */
export function decodeStoredChallenge(value: string, id: string): StoredChallenge {
  const corrupt = (problem: string) =>
    new StateCorruptError(`RedisChallengeStore: the value of challenge ${id} ${problem}.`);
  if (value.length > MAX_VALUE || !value.startsWith(MARK))
    throw corrupt('is not a challenge record');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value.slice(MARK.length));
  } catch {
    throw corrupt('is not JSON');
  }
  const fields = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<
    string,
    unknown
  >;
  if (fields.id !== id) throw corrupt('names another id');
  const challenge =
    typeof fields.challenge === 'string' ? fromBase64Url(fields.challenge) : undefined;
  if (challenge === undefined || challenge.length < 16) throw corrupt('has no challenge bytes');
  if (typeof fields.address !== 'string' || fields.address.length === 0) {
    throw corrupt('has no address');
  }
  const { issuedAt, expiresAt } = fields;
  // Finite, not integer: a clock may give fractions of a ms, and the memory store keeps them.
  if (
    !Number.isFinite(issuedAt) ||
    !Number.isFinite(expiresAt) ||
    (expiresAt as number) < (issuedAt as number)
  ) {
    throw corrupt('has no valid times');
  }
  return {
    id,
    challenge,
    address: fields.address,
    issuedAt: issuedAt as number,
    expiresAt: expiresAt as number,
  };
}
