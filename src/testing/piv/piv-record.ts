/**
 * A PIV test card's state as the bytes its store keeps (canonical JSON, byte fields in base64),
 * and reading them back: anything malformed is a `StateCorruptError` naming the field.
 */
import { toBase64, utf8 } from '../../lib/bytes.js';
import { canonicalJson } from '../../lib/canonical-json.js';
import { savedRecord } from '../../lib/saved-record.js';
import { isPolicy } from './key-policy.js';
import { isManagementAlgorithm, managementKeyLength } from './management-cipher.js';
import type { PivCardState, ReferenceData, SlotKey } from './piv-state.js';
import { isPivKeyAlgorithm } from './slot-keys.js';

const FORMAT = 'smartcard-2fa/piv-card';
const VERSION = 1;
const reader = savedRecord('saved PIV card');
const { corrupt, object, integer, boolean, base64 } = reader;

/** The state as bytes for a store. */
export function encodePivState(state: PivCardState): Uint8Array<ArrayBuffer> {
  const reference = (data: ReferenceData) => ({
    digest: toBase64(data.digest),
    triesLeft: data.triesLeft,
    tries: data.tries,
    isDefault: data.isDefault,
  });
  const byTag = <Value>(map: ReadonlyMap<number, Value>, write: (value: Value) => unknown) =>
    Object.fromEntries([...map].map(([tag, value]) => [tag.toString(16), write(value)]));
  return utf8(
    canonicalJson({
      format: FORMAT,
      version: VERSION,
      serial: state.serial,
      salt: toBase64(state.salt),
      pin: reference(state.pin),
      puk: reference(state.puk),
      management: {
        algorithm: state.management.algorithm,
        key: toBase64(state.management.key),
        isDefault: state.management.isDefault,
      },
      keys: byTag(state.keys, (key) => ({
        algorithm: key.algorithm,
        pkcs8: toBase64(key.pkcs8),
        pinPolicy: key.pinPolicy,
        touchPolicy: key.touchPolicy,
      })),
      objects: byTag(state.objects, (contents) => toBase64(contents)),
    }),
  );
}

function readReference(value: unknown, name: string): ReferenceData {
  const fields = object(value, name);
  const tries = integer(fields.tries, `${name}.tries`, 1, 15);
  return {
    digest: base64(fields.digest, `${name}.digest`, 32),
    triesLeft: integer(fields.triesLeft, `${name}.triesLeft`, 0, tries),
    tries,
    isDefault: boolean(fields.isDefault, `${name}.isDefault`),
  };
}

/** The tags of a record's map, each a hex number from `min` to `max`. */
function readTags<Value>(
  value: unknown,
  name: string,
  range: readonly [number, number],
  read: (value: unknown, name: string) => Value,
): Map<number, Value> {
  const out = new Map<number, Value>();
  for (const [text, entry] of Object.entries(object(value, name))) {
    const tag = /^[0-9a-f]{1,6}$/.test(text) ? Number.parseInt(text, 16) : Number.NaN;
    if (!(tag >= range[0] && tag <= range[1])) throw corrupt(`${name} has a bad tag ${text}`);
    out.set(tag, read(entry, `${name}.${text}`));
  }
  return out;
}

function readKey(value: unknown, name: string): SlotKey {
  const fields = object(value, name);
  const algorithm = integer(fields.algorithm, `${name}.algorithm`, 0, 0xff);
  if (!isPivKeyAlgorithm(algorithm)) throw corrupt(`${name}.algorithm is not a key algorithm`);
  const pinPolicy = integer(fields.pinPolicy, `${name}.pinPolicy`, 1, 3);
  const touchPolicy = integer(fields.touchPolicy, `${name}.touchPolicy`, 1, 3);
  if (!isPolicy(pinPolicy) || !isPolicy(touchPolicy)) throw corrupt(`${name} has a bad policy`);
  return { algorithm, pkcs8: base64(fields.pkcs8, `${name}.pkcs8`), pinPolicy, touchPolicy };
}

/** Reads bytes written by {@link encodePivState}. */
export function decodePivState(bytes: Uint8Array): PivCardState {
  const record = object(reader.json(bytes), 'the record');
  if (record.format !== FORMAT || record.version !== VERSION) {
    throw corrupt(`it is not a ${FORMAT} record of version ${VERSION}`);
  }
  const management = object(record.management, 'management');
  const algorithm = integer(management.algorithm, 'management.algorithm', 0, 0xff);
  if (!isManagementAlgorithm(algorithm)) throw corrupt('management.algorithm is unknown');
  return {
    serial: integer(record.serial, 'serial', 0, 0xffffffff),
    salt: base64(record.salt, 'salt', 16),
    pin: readReference(record.pin, 'pin'),
    puk: readReference(record.puk, 'puk'),
    management: {
      algorithm,
      key: base64(management.key, 'management.key', managementKeyLength(algorithm)),
      isDefault: boolean(management.isDefault, 'management.isDefault'),
    },
    keys: readTags(record.keys, 'keys', [0x9a, 0x9e], readKey),
    objects: readTags(record.objects, 'objects', [0x7e, 0x5fffff], (entry, name) =>
      entry === '' ? new Uint8Array(0) : base64(entry, name),
    ),
  };
}
