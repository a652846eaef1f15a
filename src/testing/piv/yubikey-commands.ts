/**
 * What YubiKeys add to PIV, as the PIV test card answers it: GET VERSION, GET SERIAL and GET
 * METADATA. GET METADATA is how a client learns that the PIN is still the one the card came
 * with (05 01, "default value"): the product's rule reads it to refuse signing until the PIN is
 * changed.
 */
import { KEY_REFERENCE } from '../../card/piv/piv-constants.js';
import { decodeObjects, encodeObject, SW } from '../../lib/apdu.js';
import { concatBytes } from '../../lib/bytes.js';
import { FIRMWARE_VERSION } from './application-data.js';
import { SLOT_PIN_POLICY } from './key-policy.js';
import { type PivCommandHandler, status, success } from './piv-context.js';
import type { ReferenceData } from './piv-state.js';
import { publicKeyTemplate } from './slot-keys.js';

const byte = (value: number) => Uint8Array.of(value);

/** Touch policy 01: never. */
const TOUCH_NEVER = 1;
/** Origin 01: generated on the card. */
const GENERATED = 1;

/** GET VERSION: `00 FD 00 00` → 05 07 01. */
export const getVersion: PivCommandHandler = async () => success(FIRMWARE_VERSION.slice());

/** GET SERIAL: `00 F8 00 00` → the serial, 4 bytes big-endian. */
export const getSerial: PivCommandHandler = async (context) => {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, context.state().serial);
  return success(out);
};

function referenceMetadata(data: ReferenceData): Uint8Array<ArrayBuffer> {
  return concatBytes(
    encodeObject(0x01, byte(0xff)),
    encodeObject(0x05, byte(data.isDefault ? 1 : 0)),
    encodeObject(0x06, Uint8Array.of(data.tries, data.triesLeft)),
  );
}

/** GET METADATA: `00 F7 00 <key reference>`: algorithm, policy, origin, key, default, tries. */
export const getMetadata: PivCommandHandler = async (context, command) => {
  if (command.p1 !== 0) return status(SW.WRONG_P1P2);
  const state = context.state();
  const reference = command.p2;
  if (reference === KEY_REFERENCE.PIN) return success(referenceMetadata(state.pin));
  if (reference === KEY_REFERENCE.PUK) return success(referenceMetadata(state.puk));
  if (reference === KEY_REFERENCE.MANAGEMENT) {
    return success(
      concatBytes(
        encodeObject(0x01, byte(state.management.algorithm)),
        encodeObject(0x02, Uint8Array.of(0, TOUCH_NEVER)),
        encodeObject(0x05, byte(state.management.isDefault ? 1 : 0)),
      ),
    );
  }
  if (!SLOT_PIN_POLICY.has(reference)) return status(SW.WRONG_P1P2);
  const key = state.keys.get(reference);
  if (key === undefined) return status(SW.REFERENCE_NOT_FOUND);
  const [publicKey] = decodeObjects(await publicKeyTemplate(context.crypto, key));
  return success(
    concatBytes(
      encodeObject(0x01, byte(key.algorithm)),
      encodeObject(0x02, Uint8Array.of(key.pinPolicy, key.touchPolicy)),
      encodeObject(0x03, byte(GENERATED)),
      encodeObject(0x04, publicKey?.value ?? new Uint8Array(0)),
    ),
  );
};
