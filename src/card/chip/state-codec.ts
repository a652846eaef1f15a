import { StateCorruptError } from '../../errors.js';
import { constantTimeEqual, toBase64, utf8 } from '../../lib/bytes.js';
import { canonicalJson } from '../../lib/canonical-json.js';
import { savedRecord } from '../../lib/saved-record.js';
import type { PinStateRecord } from '../../pin/index.js';
import * as input from '../contract/input.js';
import type { KeySpec } from '../contract/key-containers.js';
import type { CardKind } from '../contract/smart-card.js';
import { importKeyMaterial, KEY_ALGORITHMS, type KeyMaterial } from './key-material.js';

/** One key container in chip memory.
 *
 * @category Cards
 */
export interface Container {
  readonly name: string;
  readonly keySpec: KeySpec;
  readonly friendlyName: string | undefined;
  readonly key: KeyMaterial;
  readonly certificate:
    | { readonly der: Uint8Array<ArrayBuffer>; readonly friendlyName: string | undefined }
    | undefined;
}

/** Everything an emulated card remembers. Immutable: each change makes a new one.
 *
 * @category Cards
 */
export interface ChipState {
  readonly kind: CardKind;
  readonly serial: string;
  readonly label: string;
  readonly manufacturer: string;
  readonly maxContainers: number;
  readonly pin: PinStateRecord;
  readonly containers: readonly Container[];
}

const FORMAT = 'smartcard-2fa/card';
const VERSION = 1;

const saved = savedRecord('saved card state');
const { corrupt, object, text, base64: bytesOf } = saved;

/** The chip state as bytes (canonical JSON), for a store or a TPM seal.
 *
 * @category Cards
 */
export function encodeChipState(state: ChipState): Uint8Array<ArrayBuffer> {
  return utf8(
    canonicalJson({
      format: FORMAT,
      version: VERSION,
      kind: state.kind,
      serial: state.serial,
      label: state.label,
      manufacturer: state.manufacturer,
      maxContainers: state.maxContainers,
      pin: state.pin,
      containers: state.containers.map((c) => ({
        name: c.name,
        keySpec: c.keySpec,
        friendlyName: c.friendlyName ?? null,
        algorithm: c.key.algorithm,
        pkcs8: toBase64(c.key.pkcs8),
        spki: toBase64(c.key.spki),
        certificate:
          c.certificate === undefined
            ? null
            : {
                der: toBase64(c.certificate.der),
                friendlyName: c.certificate.friendlyName ?? null,
              },
      })),
    }),
  );
}

/**
 * Decodes bytes made by {@link encodeChipState}; throws {@link StateCorruptError} for anything
 * else. The PIN record inside is checked again (with its own integrity tag) when it is restored.
 *
 * @category Cards
 */
export function decodeChipState(bytes: Uint8Array, kind: CardKind): ChipState {
  const record = object(saved.json(bytes), 'card state');
  if (record.format !== FORMAT || record.version !== VERSION) {
    throw corrupt('it is not a smartcard-2fa card state of a known version');
  }
  if (record.kind !== kind) throw corrupt(`it is the state of a ${String(record.kind)} card`);
  const maxContainers = record.maxContainers;
  if (typeof maxContainers !== 'number' || !Number.isInteger(maxContainers) || maxContainers < 1) {
    throw corrupt('maxContainers is not a positive integer');
  }
  if (!Array.isArray(record.containers) || record.containers.length > maxContainers) {
    throw corrupt('containers is not a list within maxContainers');
  }
  const containers = record.containers.map((c: unknown, i) => container(c, `containers[${i}]`));
  if (new Set(containers.map((c) => c.name)).size !== containers.length) {
    throw corrupt('two containers have the same name');
  }
  return {
    kind,
    serial: text(record.serial, 'serial'),
    label: text(record.label, 'label'),
    manufacturer: text(record.manufacturer, 'manufacturer'),
    maxContainers,
    pin: object(record.pin, 'pin') as unknown as PinStateRecord,
    containers,
  };
}

function container(value: unknown, name: string): Container {
  const fields = object(value, name);
  if (fields.keySpec !== 'exchange' && fields.keySpec !== 'signature')
    throw corrupt(`${name}.keySpec`);
  const algorithm = KEY_ALGORITHMS.find((a) => a === fields.algorithm);
  if (algorithm === undefined) throw corrupt(`${name}.algorithm`);
  const cert =
    fields.certificate === null ? undefined : object(fields.certificate, `${name}.certificate`);
  let checkedName: string;
  let label: string | undefined;
  let certLabel: string | undefined;
  try {
    checkedName = input.containerName(fields.name);
    label = input.friendlyName(optionalText(fields.friendlyName, `${name}.friendlyName`));
    certLabel =
      cert === undefined
        ? undefined
        : input.friendlyName(optionalText(cert.friendlyName, `${name}.certificate.friendlyName`));
  } catch (cause) {
    throw new StateCorruptError(`The saved card state was refused: ${name} is invalid.`, { cause });
  }
  return {
    name: checkedName,
    keySpec: fields.keySpec,
    friendlyName: label,
    key: {
      algorithm,
      pkcs8: bytesOf(fields.pkcs8, `${name}.pkcs8`),
      spki: bytesOf(fields.spki, `${name}.spki`),
    },
    certificate:
      cert === undefined
        ? undefined
        : {
            der: bytesOf(cert.der, `${name}.certificate.der`),
            friendlyName: certLabel,
          },
  };
}

/**
 * Checks what decoding cannot: that every container's private key is a key the card could hold
 * and that its stored public key is that key's. Throws {@link StateCorruptError}.
 *
 * @category Cards
 */
export async function checkChipKeys(crypto: Crypto, state: ChipState): Promise<void> {
  for (const container of state.containers) {
    let derived: KeyMaterial;
    try {
      derived = await importKeyMaterial(crypto, container.key.pkcs8);
    } catch (cause) {
      throw new StateCorruptError(`The saved key of container "${container.name}" is damaged.`, {
        cause,
      });
    }
    if (
      derived.algorithm !== container.key.algorithm ||
      !constantTimeEqual(derived.spki, container.key.spki)
    ) {
      throw corrupt(`the public key of container "${container.name}" is not its private key's`);
    }
  }
}

function optionalText(value: unknown, name: string): string | undefined {
  return value === null ? undefined : text(value, name);
}
