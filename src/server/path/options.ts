/**
 * The options of `validateCertificatePath`, checked and completed with defaults. A wrong type
 * is a programming error and throws; a bad certificate never does. Internal.
 */

import { InvalidInputError } from '../../errors.js';
import { KEY_USAGE_BITS } from '../../lib/key-usage.js';
import type { LeafRequirements } from './checks.js';
import { OcspCache } from './ocsp/cache.js';
import type { OcspSettings } from './ocsp/check.js';
import { ANY_POLICY } from './policy-extensions.js';
import type { PolicyInputs } from './policy-tree.js';
import type { KeyUsageName, OcspOptions, PathValidationOptions } from './types.js';

/**
 * Smart Card Logon (1.3.6.1.4.1.311.20.2.2) only: the EKU a sign-in certificate needs by default,
 * the one a CA puts only in certificates whose key is on a smart card. Client Authentication
 * (which AD CS's ordinary "User" template gives a key in software) counts only when named in
 * `requiredEku` (`'clientAuth'` or its OID).
 *
 * @example
 * ```ts
 * import { DEFAULT_SIGN_IN_EKU, validateCertificatePath } from 'smartcard-2fa/server';
 *
 * declare const leaf: Uint8Array, root: Uint8Array;
 * const requiredEku = [...DEFAULT_SIGN_IN_EKU, 'clientAuth']; // also software keys: no card needed
 * await validateCertificatePath({ leaf, trustAnchors: [root], requiredEku });
 * ```
 *
 * @category Server
 */
export const DEFAULT_SIGN_IN_EKU: readonly string[] = ['1.3.6.1.4.1.311.20.2.2'];

/** The EKUs `requiredEku` may name instead of giving their OIDs. */
const EKU_NAMES: Readonly<Record<string, string>> = {
  smartCardLogon: '1.3.6.1.4.1.311.20.2.2',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

/** The options after checking, with defaults filled in.
 *
 * @category Server
 */
export interface PathSettings extends LeafRequirements {
  readonly maxDepth: number;
  readonly maxWork: number;
  /** Tolerance on CRL times, in ms. */
  readonly crlClockSkewMs: number;
  /** The policy inputs of RFC 5280 §6.1.1. */
  readonly policy: PolicyInputs;
  /** OCSP, when the `ocsp` option is given. */
  readonly ocsp?: OcspSettings;
}

/** The default tolerance on a CRL's thisUpdate and nextUpdate: five minutes. */
const CRL_CLOCK_SKEW_MS = 5 * 60_000;

const OID_PATTERN = /^[0-2](\.(0|[1-9]\d*))+$/;

/** Checks the types of `options`; throws `InvalidInputError` on a wrong one.
 *
 * @category Server
 */
export function readPathOptions(options: PathValidationOptions): PathSettings {
  if (typeof options !== 'object' || options === null) bad('options must be an object');
  if (!(options.leaf instanceof Uint8Array)) bad('leaf must be a Uint8Array (DER)');
  derList(options.trustAnchors, 'trustAnchors', true);
  derList(options.intermediates, 'intermediates', false);
  derList(options.crls, 'crls', false);
  if (
    options.revocation !== undefined &&
    options.revocation !== 'if-available' &&
    options.revocation !== 'require'
  ) {
    bad('revocation is "if-available" or "require"');
  }
  const { time } = options;
  if (time !== undefined && !(time instanceof Date) && typeof time !== 'number') {
    bad('time must be a Date or a number of milliseconds');
  }
  if (time !== undefined && !Number.isFinite(new Date(time).getTime()))
    bad('time is not a valid date');
  const eku = options.requiredEku ?? DEFAULT_SIGN_IN_EKU;
  if (eku !== 'any') {
    if (!Array.isArray(eku) || eku.length === 0)
      bad("requiredEku must be a non-empty array of OIDs (or EKU names) or 'any'");
    for (const oid of eku)
      if (typeof oid !== 'string' || !(OID_PATTERN.test(oid) || Object.hasOwn(EKU_NAMES, oid)))
        bad(`requiredEku holds neither an OID nor smartCardLogon or clientAuth: ${String(oid)}`);
  }
  const keyUsage: readonly KeyUsageName[] = options.requiredKeyUsage ?? ['digitalSignature'];
  if (!Array.isArray(keyUsage) || keyUsage.some((name) => !KEY_USAGE_BITS.includes(name))) {
    bad(`requiredKeyUsage must list key usage names (${KEY_USAGE_BITS.join(', ')})`);
  }
  const ocsp = options.ocsp === undefined ? undefined : ocspSettings(options.ocsp);
  return {
    eku: eku === 'any' ? eku : eku.map((oid) => EKU_NAMES[oid] ?? oid),
    keyUsage,
    maxDepth: count(options.maxDepth, 'maxDepth', 8),
    maxWork: count(options.maxWork, 'maxWork', 64),
    crlClockSkewMs: count(options.crlClockSkewMs, 'crlClockSkewMs', CRL_CLOCK_SKEW_MS),
    policy: policyInputs(options),
    ...(ocsp === undefined ? {} : { ocsp }),
  };
}

/** The default age limit of an OCSP answer without nextUpdate: one hour. */
const OCSP_MAX_AGE_MS = 60 * 60_000;

function ocspSettings(ocsp: OcspOptions): OcspSettings {
  if (typeof ocsp !== 'object' || ocsp === null) bad('ocsp must be an object');
  if (typeof ocsp.fetch !== 'function') bad('ocsp.fetch must be a function');
  const { responderUrl, mode, certIdHash } = ocsp;
  if (
    responderUrl !== undefined &&
    (typeof responderUrl !== 'string' || !/^https?:\/\/\S+$/i.test(responderUrl))
  ) {
    bad('ocsp.responderUrl must be an http or https URL');
  }
  if (mode !== undefined && mode !== 'hard-fail' && mode !== 'soft-fail') {
    bad('ocsp.mode is "hard-fail" or "soft-fail"');
  }
  if (certIdHash !== undefined && certIdHash !== 'SHA-1' && certIdHash !== 'SHA-256') {
    bad('ocsp.certIdHash is "SHA-1" or "SHA-256"');
  }
  const flag = (value: unknown, name: string, fallback: boolean): boolean => {
    if (value !== undefined && typeof value !== 'boolean')
      bad(`ocsp.${name} must be true or false`);
    return value === undefined ? fallback : value === true;
  };
  const overrideResponderUrl = flag(ocsp.overrideResponderUrl, 'overrideResponderUrl', false);
  if (overrideResponderUrl && responderUrl === undefined) {
    bad('ocsp.overrideResponderUrl needs ocsp.responderUrl');
  }
  const nonce = flag(ocsp.nonce, 'nonce', true);
  const requireNonce = flag(ocsp.requireNonce, 'requireNonce', false);
  if (requireNonce && !nonce)
    bad('ocsp.requireNonce needs the nonce that ocsp.nonce: false turns off');
  derList(ocsp.responses, 'ocsp.responses', false);
  if (ocsp.cache !== undefined && !(ocsp.cache instanceof OcspCache)) {
    bad('ocsp.cache must be an OcspCache');
  }
  return {
    fetch: ocsp.fetch,
    responderUrl,
    overrideResponderUrl,
    hardFail: mode === 'hard-fail',
    nonce,
    requireNonce,
    certIdHash: certIdHash ?? 'SHA-1',
    clockSkewMs: count(ocsp.clockSkewMs, 'ocsp.clockSkewMs', CRL_CLOCK_SKEW_MS),
    maxAgeMs: count(ocsp.maxAgeMs, 'ocsp.maxAgeMs', OCSP_MAX_AGE_MS),
    responses: [...(ocsp.responses ?? [])],
    cache: ocsp.cache,
  };
}

function policyInputs(options: PathValidationOptions): PolicyInputs {
  const set = options.initialPolicySet ?? [ANY_POLICY];
  if (
    !Array.isArray(set) ||
    set.length === 0 ||
    set.some((oid) => typeof oid !== 'string' || !OID_PATTERN.test(oid))
  ) {
    bad('initialPolicySet must be a non-empty array of policy OIDs');
  }
  const flag = (value: unknown, name: string): boolean => {
    if (value !== undefined && typeof value !== 'boolean') bad(`${name} must be true or false`);
    return value === true;
  };
  return {
    initialPolicySet: [...set],
    initialExplicitPolicy: flag(options.initialExplicitPolicy, 'initialExplicitPolicy'),
    initialPolicyMappingInhibit: flag(
      options.initialPolicyMappingInhibit,
      'initialPolicyMappingInhibit',
    ),
    initialAnyPolicyInhibit: flag(options.initialAnyPolicyInhibit, 'initialAnyPolicyInhibit'),
  };
}

function derList(value: unknown, name: string, required: boolean): void {
  if (value === undefined && !required) return;
  if (!Array.isArray(value) || value.some((item) => !(item instanceof Uint8Array))) {
    bad(`${name} must be an array of Uint8Array (DER)`);
  }
}

function count(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    bad(`${name} must be a non-negative integer`);
  }
  return value;
}

function bad(message: string): never {
  throw new InvalidInputError(`validateCertificatePath: ${message}.`);
}
