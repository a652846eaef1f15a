/**
 * One case of the SmartCard contract as the suite defines it: a name, which cards it applies to,
 * and a body run on a fresh card with the checks of {@link CaseExpectations}.
 */
import type { SmartCard } from '../../card/contract/smart-card.js';
import type { WebCrypto } from '../../crypto.js';
import { utf8 } from '../../lib/bytes.js';
import type { CaseExpectations } from './expectations.js';
import type { ContractCard, ResolvedContractOptions } from './options.js';

/** What a case's body works with: the fresh card, its secrets, the options and the checks. */
export interface CaseContext {
  readonly card: SmartCard;
  readonly pin: string;
  /** A PIN the policy accepts that is not the card's. */
  readonly newPin: string;
  /** The PUK; present in cases that apply to cards that unblock. */
  readonly puk: string;
  /** Removal; present in cases that apply to removable cards. */
  readonly removal: NonNullable<ContractCard['removal']>;
  readonly options: ResolvedContractOptions;
  readonly crypto: WebCrypto;
  readonly expect: CaseExpectations;
}

/** A case of the contract before it is bound to options. */
export interface CaseDefinition {
  readonly name: string;
  /** Whether cards of these options are asked to pass it; every card when left out. */
  readonly appliesTo?: (options: ResolvedContractOptions) => boolean;
  readonly body: (context: CaseContext) => Promise<void>;
}

/** What the cases sign: a server's challenge, as in a sign-in. */
export const CHALLENGE = utf8('the server challenge');

/** `card` with the wrong PIN `count` times in a row. */
export async function wrongPins(context: CaseContext, count: number): Promise<void> {
  for (let attempt = 0; attempt < count; attempt++) await context.card.verifyPin(context.newPin);
}

/** What a card looks like from outside: everything readable without a PIN. */
export async function outsideView(card: SmartCard) {
  const containers = await card.containers();
  return {
    pin: await card.pinStatus(),
    containers,
    certificates: await Promise.all(containers.map((c) => card.certificate(c.name))),
  };
}
