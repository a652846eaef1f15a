/**
 * The SDK's container map on a PIV card: PIV has slots, not named containers, and keeps no
 * public key beside a key (only the certificate has it). So the SDK writes, in its own data
 * object (5FA000), which slots hold its containers, in order of creation: each one's name, key
 * spec, algorithm, friendly name and public key. It is canonical JSON, read strictly.
 */
import { StateCorruptError } from '../../errors.js';
import { fromBase64, toBase64, utf8 } from '../../lib/bytes.js';
import { canonicalJson } from '../../lib/canonical-json.js';
import type { KeyAlgorithmName, KeySpec } from '../contract/key-containers.js';
import { CONTAINER_SLOTS, PIV_KEY_ALGORITHMS } from './key-slots.js';

/** One container as the map keeps it. */
export interface MappedContainer {
  readonly slot: number;
  readonly name: string;
  readonly keySpec: KeySpec;
  readonly algorithm: KeyAlgorithmName;
  readonly friendlyName: string | undefined;
  readonly publicKey: Uint8Array<ArrayBuffer>;
}

/** The map's format version. */
const VERSION = 1;

/** The map as the object's bytes. */
export function encodeContainerMap(
  containers: readonly MappedContainer[],
): Uint8Array<ArrayBuffer> {
  return utf8(
    canonicalJson({
      version: VERSION,
      containers: containers.map((container) => ({
        slot: container.slot,
        name: container.name,
        keySpec: container.keySpec,
        algorithm: container.algorithm,
        ...(container.friendlyName === undefined ? {} : { friendlyName: container.friendlyName }),
        publicKey: toBase64(container.publicKey),
      })),
    }),
  );
}

function corrupt(why: string): StateCorruptError {
  return new StateCorruptError(`The SDK's container map on this PIV card is unreadable: ${why}.`);
}

function mapped(value: unknown): MappedContainer {
  const entry = value as Record<string, unknown> | null;
  if (typeof entry !== 'object' || entry === null) throw corrupt('an entry is not an object');
  const { slot, name, keySpec, algorithm, friendlyName } = entry;
  if (typeof slot !== 'number' || !CONTAINER_SLOTS.includes(slot)) throw corrupt('a bad slot');
  if (typeof name !== 'string' || name.length === 0) throw corrupt('a bad name');
  if (keySpec !== 'exchange' && keySpec !== 'signature') throw corrupt('a bad key spec');
  if (typeof algorithm !== 'string' || !(algorithm in PIV_KEY_ALGORITHMS)) {
    throw corrupt('a bad algorithm');
  }
  if (friendlyName !== undefined && typeof friendlyName !== 'string') {
    throw corrupt('a bad friendly name');
  }
  const publicKey = typeof entry.publicKey === 'string' ? fromBase64(entry.publicKey) : undefined;
  if (publicKey === undefined) throw corrupt('a bad public key');
  return {
    slot,
    name,
    keySpec,
    algorithm: algorithm as KeyAlgorithmName,
    friendlyName,
    publicKey,
  };
}

/** The containers in the object's bytes (`null`: no map yet, no container). */
export function decodeContainerMap(bytes: Uint8Array | null): MappedContainer[] {
  if (bytes === null) return [];
  let parsed: { version?: unknown; containers?: unknown };
  try {
    parsed = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw corrupt('not JSON');
  }
  if (parsed?.version !== VERSION || !Array.isArray(parsed.containers)) {
    throw corrupt(`not version ${VERSION}`);
  }
  const containers = parsed.containers.map(mapped);
  const slots = new Set(containers.map((container) => container.slot));
  const names = new Set(containers.map((container) => container.name));
  if (slots.size !== containers.length || names.size !== containers.length) {
    throw corrupt('a slot or a name twice');
  }
  return containers;
}
