/**
 * The slot keys' commands on the PIV test card: GENERATE ASYMMETRIC KEY PAIR (after the
 * management key; its PIN and touch policies as asked, else the slot's: key-policy.ts), and
 * GENERAL AUTHENTICATE, which signs, decrypts or agrees on a secret with a slot's key under its
 * PIN policy and hands the management key's steps to management-auth.ts.
 */
import { AUTH_TAG, KEY_REFERENCE } from '../../card/piv/piv-constants.js';
import {
  ApduError,
  type DataObject,
  decodeObjects,
  encodeObject,
  objectValue,
  type ResponseApdu,
  SW,
} from '../../lib/apdu.js';
import { pinAllows, requestedPolicies, SLOT_PIN_POLICY, spendPin } from './key-policy.js';
import { authenticateManagementKey } from './management-auth.js';
import { type PivCommandHandler, type PivContext, status, success } from './piv-context.js';
import {
  isPivKeyAlgorithm,
  keyAgreement,
  privateKeyOperation,
  publicKeyTemplate,
} from './slot-keys.js';

/** The objects inside the single template `tag` that `data` must be; `undefined` if it is not. */
export function templateParts(data: Uint8Array, tag: number): DataObject[] | undefined {
  try {
    const [outer, ...others] = decodeObjects(data);
    if (outer?.tag !== tag || others.length > 0) return undefined;
    return decodeObjects(outer.value);
  } catch (error) {
    if (error instanceof ApduError) return undefined;
    throw error;
  }
}

/** GENERATE ASYMMETRIC KEY PAIR: `00 47 00 <slot> AC { 80 <alg> [AA pin] [AB touch] }`. */
export const generateKeyPair: PivCommandHandler = async (context, command) => {
  if (command.p1 !== 0 || !SLOT_PIN_POLICY.has(command.p2)) return status(SW.WRONG_P1P2);
  if (!context.session.managementAuthenticated) return status(SW.SECURITY_STATUS);
  const parts = templateParts(command.data, 0xac);
  const algorithm = parts === undefined ? undefined : objectValue(parts, 0x80);
  const only = algorithm?.length === 1 ? (algorithm[0] as number) : -1;
  const policies = parts === undefined ? undefined : requestedPolicies(parts, command.p2);
  if (!isPivKeyAlgorithm(only) || policies === undefined) return status(SW.WRONG_DATA);
  const pkcs8 = await context.keySource(only, context.crypto);
  const key = { algorithm: only, pkcs8, ...policies };
  const state = context.state();
  const keys = new Map(state.keys);
  keys.set(command.p2, key);
  await context.commit({ ...state, keys });
  return success(await publicKeyTemplate(context.crypto, key));
};

/**
 * `7C { 82 00, 81 <data> }` with a slot key (the signature or decrypted block) or
 * `7C { 82 00, 85 <point> }` with an EC key (the ECDH shared secret); the result in 7C { 82 }.
 */
async function useSlotKey(
  context: PivContext,
  algorithm: number,
  slot: number,
  parts: readonly DataObject[],
): Promise<ResponseApdu> {
  const key = context.state().keys.get(slot);
  if (key === undefined) return status(SW.REFERENCE_NOT_FOUND);
  if (algorithm !== key.algorithm) return status(SW.WRONG_P1P2);
  if (!pinAllows(context.session, key.pinPolicy)) return status(SW.SECURITY_STATUS);
  const response = objectValue(parts, AUTH_TAG.RESPONSE);
  const challenge = objectValue(parts, AUTH_TAG.CHALLENGE);
  const peerPoint = objectValue(parts, AUTH_TAG.EXPONENTIATION);
  if (parts.length !== 2 || response?.length !== 0) return status(SW.WRONG_DATA);
  let result: Uint8Array<ArrayBuffer> | undefined;
  if (challenge !== undefined) result = await privateKeyOperation(context.crypto, key, challenge);
  else if (peerPoint !== undefined) result = await keyAgreement(context.crypto, key, peerPoint);
  if (result === undefined) return status(SW.WRONG_DATA);
  spendPin(context.session, key.pinPolicy);
  return success(encodeObject(AUTH_TAG.TEMPLATE, encodeObject(AUTH_TAG.RESPONSE, result)));
}

/** GENERAL AUTHENTICATE: `00 87 <alg> <key reference> 7C { ... }`. */
export const generalAuthenticate: PivCommandHandler = async (context, command) => {
  const isSlot = SLOT_PIN_POLICY.has(command.p2);
  if (command.p2 !== KEY_REFERENCE.MANAGEMENT && !isSlot) return status(SW.WRONG_P1P2);
  const parts = templateParts(command.data, AUTH_TAG.TEMPLATE);
  if (parts === undefined) return status(SW.WRONG_DATA);
  if (isSlot) return useSlotKey(context, command.p1, command.p2, parts);
  return authenticateManagementKey(context, command.p1, parts);
};
