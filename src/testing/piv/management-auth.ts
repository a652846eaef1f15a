/**
 * The management key (9B) on the PIV test card: GENERAL AUTHENTICATE as YubiKeys do it, mutual
 * (the card sends an encrypted witness, 80; the host returns it decrypted with its challenge,
 * 81; the card answers the challenge encrypted, 82) or single-step (the card sends a challenge,
 * 81; the host returns it encrypted, 82), and YubiKey's SET MANAGEMENT KEY.
 */
import { AUTH_TAG, KEY_REFERENCE } from '../../card/piv/piv-constants.js';
import {
  type DataObject,
  encodeObject,
  objectValue,
  type ResponseApdu,
  SW,
} from '../../lib/apdu.js';
import { encryptBlock } from '../../lib/block-cipher.js';
import { constantTimeEqual } from '../../lib/bytes.js';
import {
  isManagementAlgorithm,
  managementBlockLength,
  managementCipher,
  managementKeyLength,
} from './management-cipher.js';
import { type PivCommandHandler, type PivContext, status, success } from './piv-context.js';

const EMPTY = new Uint8Array(0);

/** Encrypts one block with the card's management key. */
function encrypt(
  context: PivContext,
  block: Uint8Array<ArrayBuffer>,
): Promise<Uint8Array<ArrayBuffer>> {
  const { algorithm, key } = context.state().management;
  return encryptBlock(context.crypto.subtle, managementCipher(algorithm), key, block);
}

const template = (tag: number, value: Uint8Array): ResponseApdu =>
  success(encodeObject(AUTH_TAG.TEMPLATE, encodeObject(tag, value)));

/**
 * GENERAL AUTHENTICATE with the management key; `parts` are the objects inside the host's 7C.
 * P1 must be the management key's algorithm.
 */
export async function authenticateManagementKey(
  context: PivContext,
  algorithm: number,
  parts: readonly DataObject[],
): Promise<ResponseApdu> {
  const { session } = context;
  const state = context.state();
  if (algorithm !== state.management.algorithm) return status(SW.WRONG_P1P2);
  const blockLength = managementBlockLength(state.management.algorithm);
  const witness = objectValue(parts, AUTH_TAG.WITNESS);
  const challenge = objectValue(parts, AUTH_TAG.CHALLENGE);
  const response = objectValue(parts, AUTH_TAG.RESPONSE);
  const step = session.managementStep;
  session.managementStep = undefined;
  // Step 1, mutual: the host asks for a witness (80 00).
  if (parts.length === 1 && witness?.length === 0) {
    const value = context.crypto.getRandomValues(new Uint8Array(blockLength));
    session.managementAuthenticated = false;
    session.managementStep = { kind: 'witness', value };
    return template(AUTH_TAG.WITNESS, await encrypt(context, value));
  }
  // Step 1, single: the host asks for a challenge (81 00).
  if (parts.length === 1 && challenge?.length === 0) {
    const value = context.crypto.getRandomValues(new Uint8Array(blockLength));
    session.managementAuthenticated = false;
    session.managementStep = { kind: 'challenge', value };
    return template(AUTH_TAG.CHALLENGE, value);
  }
  // Step 2, mutual: the decrypted witness and the host's challenge.
  if (parts.length === 2 && witness !== undefined && challenge !== undefined) {
    if (witness.length !== blockLength || challenge.length !== blockLength)
      return status(SW.WRONG_DATA);
    if (step?.kind !== 'witness') return status(SW.CONDITIONS);
    if (!constantTimeEqual(witness, step.value)) return status(SW.SECURITY_STATUS);
    session.managementAuthenticated = true;
    return template(AUTH_TAG.RESPONSE, await encrypt(context, challenge));
  }
  // Step 2, single: the challenge encrypted by the host.
  if (parts.length === 1 && response !== undefined) {
    if (response.length !== blockLength) return status(SW.WRONG_DATA);
    if (step?.kind !== 'challenge') return status(SW.CONDITIONS);
    if (!constantTimeEqual(response, await encrypt(context, step.value))) {
      return status(SW.SECURITY_STATUS);
    }
    session.managementAuthenticated = true;
    return success(EMPTY);
  }
  return status(SW.WRONG_DATA);
}

/** SET MANAGEMENT KEY (YubiKey, INS FF): `FF FF|FE  <alg> 9B <length> <key>`. */
export const setManagementKey: PivCommandHandler = async (context, command) => {
  if (command.p1 !== 0xff || (command.p2 !== 0xff && command.p2 !== 0xfe)) {
    return status(SW.WRONG_P1P2);
  }
  if (!context.session.managementAuthenticated) return status(SW.SECURITY_STATUS);
  const [algorithm = 0, reference, length, ...rest] = command.data;
  if (!isManagementAlgorithm(algorithm) || reference !== KEY_REFERENCE.MANAGEMENT) {
    return status(SW.WRONG_DATA);
  }
  if (length !== managementKeyLength(algorithm) || rest.length !== length) {
    return status(SW.WRONG_DATA);
  }
  const state = context.state();
  const key = command.data.slice(3);
  await context.commit({ ...state, management: { algorithm, key, isDefault: false } });
  return success();
};
