/**
 * What a basic OCSP response says of one certificate: its SingleResponse, found by CertID
 * (computed again with the response's own hash algorithm), and whether it is usable: current at
 * the validation time, from a response whose nonce is the one sent. Internal.
 */
import * as OCSP from '../../../lib/ocsp-oids.js';
import type { DigestName } from '../../../lib/signature-algorithms.js';
import { sameBytes } from '../asn1.js';
import { type CertIdInput, certIdHashes } from './request.js';
import type { BasicResponse, SingleResponse } from './response.js';

/** The checks on a response's times and nonce. */
export interface AnswerChecks {
  /** The validation time, ms. */
  readonly time: number;
  readonly clockSkewMs: number;
  /** How old a response without nextUpdate may be (by its thisUpdate), ms. */
  readonly maxAgeMs: number;
  /**
   * The nonce extension's extnValue contents as sent, `undefined` when none was sent, or
   * `'stapled'` for a response fetched by someone else (its nonce, if any, is not ours to check).
   */
  readonly nonce: Uint8Array | undefined | 'stapled';
  /** Refuse a response that does not echo the request's nonce. */
  readonly requireNonce: boolean;
}

/** Extensions of a response or a SingleResponse that this client reads. */
const KNOWN_EXTENSIONS: ReadonlySet<string> = new Set([OCSP.nonce]);

/** Whether the response's CertID `single` names `target`, hashed as the response hashed it. */
async function answersFor(
  single: SingleResponse,
  target: CertIdInput,
  crypto: Crypto,
  hashes: Map<DigestName, Promise<{ nameHash: Uint8Array; keyHash: Uint8Array }>>,
): Promise<boolean> {
  const { hash } = single.certId;
  if (hash === undefined || !sameBytes(single.certId.serial, target.serial)) return false;
  let expected = hashes.get(hash);
  if (expected === undefined) {
    expected = certIdHashes(crypto, hash, target);
    hashes.set(hash, expected);
  }
  const { nameHash, keyHash } = await expected;
  return sameBytes(single.certId.nameHash, nameHash) && sameBytes(single.certId.keyHash, keyHash);
}

/** The nonce problem of `basic`, if any. */
function nonceProblem(basic: BasicResponse, checks: AnswerChecks): string | undefined {
  const echoed = basic.extensions.get(OCSP.nonce)?.value;
  if (checks.nonce === 'stapled') return undefined;
  if (echoed === undefined) {
    return checks.requireNonce ? 'it does not carry the request’s nonce' : undefined;
  }
  if (checks.nonce === undefined || !sameBytes(echoed, checks.nonce)) {
    return 'its nonce is not the request’s';
  }
  return undefined;
}

function criticalUnknown(extensions: BasicResponse['extensions']): string | undefined {
  for (const [oid, extension] of extensions) {
    if (extension.critical && !KNOWN_EXTENSIONS.has(oid)) return oid;
  }
  return undefined;
}

/** The SingleResponse of `basic` for `target`, if it has one. */
export async function findAnswer(
  basic: BasicResponse,
  target: CertIdInput,
  crypto: Crypto,
): Promise<SingleResponse | undefined> {
  const hashes = new Map<DigestName, Promise<{ nameHash: Uint8Array; keyHash: Uint8Array }>>();
  for (const candidate of basic.responses) {
    if (await answersFor(candidate, target, crypto, hashes)) return candidate;
  }
  return undefined;
}

/**
 * Why `single`, the answer of `basic`, cannot be used: a nonce that is not the one sent, a
 * critical extension not understood, or times out of the window (see {@link timeProblem}).
 */
export function answerProblem(
  basic: BasicResponse,
  single: SingleResponse,
  checks: AnswerChecks,
): string | undefined {
  const unknown = criticalUnknown(basic.extensions);
  if (unknown !== undefined) return `it has a critical ${unknown} extension`;
  const nonce = nonceProblem(basic, checks);
  if (nonce !== undefined) return nonce;
  const unknownSingle = criticalUnknown(single.extensions);
  if (unknownSingle !== undefined) return `its answer has a critical ${unknownSingle} extension`;
  return timeProblem(single, checks);
}

/**
 * Why an answer of `window` is not current at the validation time: a thisUpdate after it, a
 * nextUpdate before it (both with the clock skew), or, without nextUpdate, a thisUpdate more
 * than `maxAgeMs` before it.
 */
export function timeProblem(
  window: { readonly thisUpdate: number; readonly nextUpdate?: number },
  checks: Pick<AnswerChecks, 'time' | 'clockSkewMs' | 'maxAgeMs'>,
): string | undefined {
  const { time, clockSkewMs } = checks;
  if (window.thisUpdate > time + clockSkewMs) {
    return `its thisUpdate (${iso(window.thisUpdate)}) is in the future`;
  }
  if (window.nextUpdate !== undefined && window.nextUpdate < time - clockSkewMs) {
    return `it is out of date (nextUpdate ${iso(window.nextUpdate)})`;
  }
  if (window.nextUpdate === undefined && time - window.thisUpdate > checks.maxAgeMs) {
    return `it has no nextUpdate and its thisUpdate (${iso(window.thisUpdate)}) is older than ${checks.maxAgeMs} ms`;
  }
  return undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
