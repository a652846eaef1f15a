/**
 * The SDK's record of a PKCS#11 token (its stable id, the SDK's counters, friendly names) and
 * its saved form: JSON, read with the shared saved-record readers. Where it is kept is
 * `record-places.ts`. Internal.
 */
import { createHash, randomBytes } from 'node:crypto';
import { savedRecord } from '../lib/saved-record.js';

/**
 * What the SDK keeps about a token beside the token's own state: its stable id, the retry
 * counter and must-change of the SDK's PIN rules, the friendly names of key containers.
 *
 * @category Cards
 */
export interface CardRecord {
  /** Written with every change; the highest is the current record. */
  readonly seq: number;
  /** The card's stable id: random, made when the token is first opened. */
  readonly id: string;
  /** Wrong PINs still allowed by the SDK's counter; `null` without one. */
  readonly attemptsRemaining: number | null;
  /**
   * Wrong security officer's PINs still allowed by the SDK's counter (kept when it counts the
   * user PIN); `null` without one. Records written before it existed read as `null`.
   */
  readonly soAttemptsRemaining: number | null;
  /** The PIN must be changed before the card is used further. */
  readonly mustChange: boolean;
  /** Friendly names of containers, by container name. */
  readonly friendlyNames: Readonly<Record<string, string>>;
}

/** The readers of the record, every refusal a `StateCorruptError` naming what was refused. */
export const savedCardRecord = savedRecord("token's smartcard-2fa record");

/** A first record: seq 1, a fresh random id, the counters given, no friendly names. */
export function newRecord(
  attemptsRemaining: number | null,
  soAttemptsRemaining: number | null = null,
): CardRecord {
  return {
    seq: 1,
    id: randomBytes(8).toString('hex'),
    attemptsRemaining,
    soAttemptsRemaining,
    mustChange: false,
    friendlyNames: {},
  };
}

/** The record as UTF-8 JSON, version 1. */
export function encodeRecord(record: CardRecord): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ v: 1, ...record }));
}

/** The record `bytes` hold; throws `StateCorruptError` for anything but a valid version 1. */
export function decodeRecord(bytes: Uint8Array): CardRecord {
  const { corrupt, json, object, integer, boolean, text } = savedCardRecord;
  const record = object(json(bytes), 'the record');
  if (record.v !== 1) throw corrupt('v is not 1');
  const id = text(record.id, 'id');
  if (!/^[0-9a-f]{16}$/.test(id)) throw corrupt('id is not 16 hexadecimal digits');
  const counter = (value: unknown, name: string) =>
    value === null ? null : integer(value, name, 0, 255);
  const names = object(record.friendlyNames, 'friendlyNames');
  for (const [container, name] of Object.entries(names)) text(name, `friendlyNames.${container}`);
  return {
    seq: integer(record.seq, 'seq', Number.MIN_SAFE_INTEGER),
    id,
    attemptsRemaining: counter(record.attemptsRemaining, 'attemptsRemaining'),
    soAttemptsRemaining: counter(record.soAttemptsRemaining ?? null, 'soAttemptsRemaining'),
    mustChange: boolean(record.mustChange, 'mustChange'),
    friendlyNames: { ...(names as Record<string, string>) },
  };
}

/** A store name for a token: `pkcs11-` and a hash of what the token says about itself.
 *
 * @category Cards
 */
export function storeName(parts: readonly string[]): string {
  const hash = createHash('sha256').update(parts.join('\u0000')).digest('hex');
  return `pkcs11-${hash.slice(0, 32)}`;
}
