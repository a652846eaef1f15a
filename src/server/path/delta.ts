/**
 * Delta CRLs (RFC 5280 §5.2.4, §6.3.3 (c)-(j)): which delta updates a complete CRL, and what a
 * certificate's status is once it does. Internal.
 */
import type { PathCrl } from './crl.js';
import { listedReason } from './crl-entry-issuers.js';

/** CRLReason certificateHold: a revocation that may be released. */
export const CERTIFICATE_HOLD = 6;
/** CRLReason removeFromCRL: in a delta CRL, an entry on hold in the base is released. */
export const REMOVE_FROM_CRL = 8;

/**
 * The delta of `deltas` (each verified under the same issuer key as `base`) that updates the
 * complete CRL `base`: of the same scope, based on a CRL number no higher than the base's, and
 * newer than the base (a delta no newer than it adds nothing); the one with the highest CRL
 * number. `undefined` when none does: the base alone decides.
 */
export function deltaFor(base: PathCrl, deltas: readonly PathCrl[]): PathCrl | undefined {
  let chosen: PathCrl | undefined;
  for (const delta of deltas) {
    if (delta.scope !== `delta:${base.scope}` || delta.deltaBase === undefined) continue;
    if (base.number === undefined || delta.number === undefined) continue;
    if (delta.deltaBase > base.number || delta.number <= base.number) continue;
    if (chosen?.number === undefined || delta.number > chosen.number) chosen = delta;
  }
  return chosen;
}

/**
 * Whether `serial`, of a certificate of the issuer `issuerKey`, is revoked by `base` as updated
 * by `delta`: the delta's entry, when it has one, replaces the base's (removeFromCRL releasing a
 * hold); an entry whose reason is removeFromCRL never revokes, as in OpenSSL. Only entries of
 * that issuer count (see `listedReason`). `serial` is INTEGER contents.
 */
export function revokedBy(
  base: PathCrl,
  delta: PathCrl | undefined,
  serial: Uint8Array,
  issuerKey: string,
): boolean {
  const update = delta === undefined ? -1 : listedReason(delta, serial, issuerKey);
  const reason = update >= 0 ? update : listedReason(base, serial, issuerKey);
  return reason >= 0 && reason !== REMOVE_FROM_CRL;
}
