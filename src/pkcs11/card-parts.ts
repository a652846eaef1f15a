import type { CardKind } from '../card/contract/smart-card.js';
import {
  type Binding,
  CKF_REMOVABLE_DEVICE,
  type Handle,
  type Library,
  moduleFault,
} from './binding.js';
import { TokenCertificates } from './certificates.js';
import { TokenKeyPairs } from './key-pairs.js';
import { TokenMechanisms } from './mechanisms.js';
import { TokenObjects } from './objects.js';
import { type CheckedCardOptions, retryCounters, tokenPolicy } from './options.js';
import { PinLogins } from './pin-login.js';
import { TokenPins } from './pins.js';
import { RecordKeeper } from './record-keeper.js';
import { findToken, TokenSession } from './token.js';

/**
 * What a {@link Pkcs11SmartCard} is made of: the token session, the SDK's record, the PIN
 * logins and operations, the objects read as containers, key generation, the mechanisms and
 * the certificates.
 *
 * @example
 * ```ts
 * import { acquireModule, loadBinding } from './binding.js';
 * import { type CardParts, openCardParts } from './card-parts.js';
 * import { checkCardOptions } from './options.js';
 *
 * const options = checkCardOptions({ module: '/usr/lib/softhsm/libsofthsm2.so' });
 * const lib = acquireModule(options.module); // given back with releaseModule
 * const parts: CardParts = await openCardParts(loadBinding(), lib, options);
 * ```
 *
 * @category Cards
 */
export interface CardParts {
  readonly kind: CardKind;
  readonly session: TokenSession;
  readonly records: RecordKeeper;
  readonly logins: PinLogins;
  readonly pins: TokenPins;
  readonly objects: TokenObjects;
  readonly keyPairs: TokenKeyPairs;
  readonly mechanisms: TokenMechanisms;
  readonly certificates: TokenCertificates;
}

/**
 * Finds the token `o` names in the loaded module, opens a session on it, reads (or makes) the
 * SDK's record, and puts the card's parts together.
 *
 * @example
 * ```ts
 * import type { Binding, Library } from './binding.js';
 * import { openCardParts } from './card-parts.js';
 * import { checkCardOptions, type Pkcs11CardOptions } from './options.js';
 *
 * declare const pk: Binding; // loadBinding()
 * declare const lib: Library; // the module, loaded and initialised
 * declare const options: Partial<Pkcs11CardOptions>; // as the app gave them
 * const parts = await openCardParts(pk, lib, checkCardOptions(options));
 * const status = parts.pins.status();
 * ```
 *
 * @category Cards
 */
export async function openCardParts(
  pk: Binding,
  lib: Library,
  options: CheckedCardOptions,
): Promise<CardParts> {
  const token = findToken(pk, lib, options.match);
  const policy = tokenPolicy(token, options.pinPolicy);
  const counters = retryCounters(options.retryCounter, token, policy);
  let kind = options.kind;
  let handle: Handle;
  try {
    kind ??=
      (lib.C_GetSlotInfo(token.slot).flags & CKF_REMOVABLE_DEVICE) !== 0 ? 'physical' : 'virtual';
    handle = lib.C_OpenSession(token.slot, pk.CKF_SERIAL_SESSION | pk.CKF_RW_SESSION);
  } catch (error) {
    throw moduleFault(error, 'opening a session');
  }
  const session = new TokenSession(pk, lib, token, handle);
  const records = await RecordKeeper.open(session, token, options.state, counters);
  const logins = new PinLogins(session, records);
  const objects = new TokenObjects(session, records);
  return {
    kind,
    session,
    records,
    logins,
    pins: new TokenPins(policy, session, records, logins),
    objects,
    keyPairs: new TokenKeyPairs(session, records, objects),
    mechanisms: new TokenMechanisms(session, objects),
    certificates: new TokenCertificates(session, objects),
  };
}
