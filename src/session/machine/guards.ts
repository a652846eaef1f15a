import type { CardPinStatus, CardPinVerifyResult } from '../../card/contract/pin-results.js';
import { classify } from './failure-notices.js';
import { isSignInAddress } from './options.js';
import { failureOf, outputOf } from './outcomes.js';
import type { AuthenticationOutcome, NewPinOutcome, SignInContext, SignInEvent } from './types.js';

/** What a guard is given: the machine's context and the event being taken. */
type GuardArgs = { readonly context: SignInContext; readonly event: SignInEvent };

/** A PIN step's outcome (verifyPin, changePin, unblockPin) has this status. */
const stepStatusIs =
  (status: CardPinVerifyResult['status'] | NewPinOutcome['status']) =>
  ({ event }: GuardArgs): boolean =>
    outputOf<CardPinVerifyResult | NewPinOutcome>(event).status === status;

/** The verdict of a password or smart card sign-in step says verified. */
const verdictVerified = ({ event }: GuardArgs): boolean =>
  outputOf<AuthenticationOutcome>(event).verified;

/**
 * The sign-in machine's guards that read nothing but the context and the event, each by the name
 * the state diagram shows. The two that depend on the app's options (`noSignInInfoStore`,
 * `hasFixedCard`) are provided by `createSignInMachine`.
 *
 * @category Client
 */
export const signInGuards = {
  usesPassword: ({ context }: GuardArgs) => context.method === 'password',
  validAddress: ({ context, event }: GuardArgs) =>
    event.type === 'SIGN_IN' && isSignInAddress(event.address ?? context.address),
  isVirtualCard: ({ event }: GuardArgs) =>
    event.type === 'CARD.INSERTED' && event.card.kind === 'virtual',
  isOurPhysicalCardRemoved: ({ context, event }: GuardArgs) =>
    event.type === 'CARD.REMOVED' &&
    context.card !== null &&
    context.card.kind === 'physical' &&
    event.cardId === context.card.id,
  isOurCardInserted: ({ context, event }: GuardArgs) =>
    event.type === 'CARD.INSERTED' && context.card !== null && event.card.id === context.card.id,
  isOtherCardInserted: ({ context, event }: GuardArgs) =>
    event.type === 'CARD.INSERTED' && context.card !== null && event.card.id !== context.card.id,
  removalLocks: ({ context }: GuardArgs) => context.removal === 'lock',
  removalSignsOut: ({ context }: GuardArgs) => context.removal === 'sign-out',
  displayClosed: ({ context }: GuardArgs) => context.display === 'closed',
  displayOpen: ({ context }: GuardArgs) => context.display === 'open',
  canUnblock: ({ context }: GuardArgs) => context.unblockWith !== null,
  cardWasRemoved: ({ event }: GuardArgs) => classify(failureOf(event)).kind === 'card-removed',
  canRetry: ({ event }: GuardArgs) => classify(failureOf(event)).kind === 'retry',

  /** verifyPassword: the address and password were accepted. */
  passwordVerified: verdictVerified,
  /** readCard: the card's PIN is blocked. */
  cardBlocked: ({ event }: GuardArgs) => outputOf<CardPinStatus>(event).blocked,
  /** readCard: the card's PIN must be changed before use (a default or expired PIN). */
  cardPinMustChange: ({ event }: GuardArgs) => outputOf<CardPinStatus>(event).mustChange,
  /** verifyPin: right, but the card wants it changed now. */
  pinVerifiedMustChange: ({ event }: GuardArgs) => {
    const result = outputOf<CardPinVerifyResult>(event);
    return result.status === 'verified' && result.mustChange;
  },
  /** verifyPin: the PIN was right. */
  pinVerified: stepStatusIs('verified'),
  /** verifyPin, changePin: the PIN is blocked now. */
  pinBlocked: stepStatusIs('blocked'),
  /** changePin, unblockPin: the new PIN is set and verified. */
  newPinSet: stepStatusIs('done'),
  /** unblockPin: the PUK or admin key is blocked now. */
  unblockCredentialBlocked: stepStatusIs('blocked'),
  /** authenticate: the server verified the card's answer. */
  serverVerified: verdictVerified,
  /** authenticate: the card holds no certificate to sign in with. */
  cardNotEnrolled: ({ event }: GuardArgs) => {
    const outcome = outputOf<AuthenticationOutcome>(event);
    return !outcome.verified && outcome.reason === 'card-not-enrolled';
  },
};
