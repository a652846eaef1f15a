/**
 * GET DATA and PUT DATA on the PIV test card (SP 800-73-4 §3.1.2, §3.3.2): `5C <tag>` names the
 * object, the answer is `53 { ... }` (the discovery object answers as its own 7E). Writing needs
 * the management key; reading the objects SP 800-73-4 protects (fingerprints, facial image,
 * printed information) needs the PIN.
 */

import { OBJECT_TAG } from '../../card/piv/piv-constants.js';
import { decodeObjects, encodeObject, objectValue, type ResponseApdu, SW } from '../../lib/apdu.js';
import { discoveryObject } from './application-data.js';
import { type PivCommandHandler, status, success } from './piv-context.js';

/** The most bytes an object's contents may hold (a YubiKey's object size). */
const MAX_OBJECT_LENGTH = 3_063;

/** Objects only a verified PIN may read: fingerprints, facial image, printed information. */
const PIN_PROTECTED = new Set([0x5fc103, 0x5fc108, 0x5fc109]);

/**
 * Whether `tag` names an object a YubiKey stores: any 5F0000-5FFFFF, PIV's own (5FC101-5FC123),
 * Yubico's (5FFF00-5FFF15) and an application's (the rest).
 */
function writableTag(tag: number): boolean {
  return tag >= 0x5f0000 && tag <= 0x5fffff;
}

/** The tag `5C` names, alone in `data`; a status word when the data is not that. */
function namedTag(parts: ReturnType<typeof decodeObjects> | undefined): number | ResponseApdu {
  const name = parts === undefined ? undefined : objectValue(parts, 0x5c);
  if (name === undefined || (name.length !== 1 && name.length !== 3)) return status(SW.WRONG_DATA);
  return name.reduce((tag, byte) => tag * 256 + byte, 0);
}

function objects(data: Uint8Array): ReturnType<typeof decodeObjects> | undefined {
  try {
    return decodeObjects(data);
  } catch {
    return undefined;
  }
}

function wrongParameters(p1: number, p2: number): boolean {
  return p1 !== 0x3f || p2 !== 0xff;
}

/** GET DATA: `00 CB 3F FF 5C 03 <tag>`. */
export const getData: PivCommandHandler = async (context, command) => {
  if (wrongParameters(command.p1, command.p2)) return status(SW.WRONG_P1P2);
  const parts = objects(command.data);
  if (parts?.length !== 1) return status(SW.WRONG_DATA);
  const tag = namedTag(parts);
  if (typeof tag !== 'number') return tag;
  if (tag === OBJECT_TAG.DISCOVERY) return success(discoveryObject());
  if (PIN_PROTECTED.has(tag) && !context.session.pinVerified) return status(SW.SECURITY_STATUS);
  const contents = context.state().objects.get(tag);
  if (contents === undefined) return status(SW.NOT_FOUND);
  return success(encodeObject(0x53, contents));
};

/** PUT DATA: `00 DB 3F FF 5C 03 <tag> 53 <contents>`; empty contents delete the object. */
export const putData: PivCommandHandler = async (context, command) => {
  if (wrongParameters(command.p1, command.p2)) return status(SW.WRONG_P1P2);
  if (!context.session.managementAuthenticated) return status(SW.SECURITY_STATUS);
  const parts = objects(command.data);
  const contents = parts === undefined ? undefined : objectValue(parts, 0x53);
  if (parts?.length !== 2 || contents === undefined) return status(SW.WRONG_DATA);
  const tag = namedTag(parts);
  if (typeof tag !== 'number') return tag;
  if (!writableTag(tag)) return status(SW.WRONG_DATA);
  if (contents.length > MAX_OBJECT_LENGTH) return status(SW.NO_SPACE);
  const state = context.state();
  const next = new Map(state.objects);
  if (contents.length === 0) next.delete(tag);
  else next.set(tag, contents);
  await context.commit({ ...state, objects: next });
  return success();
};
