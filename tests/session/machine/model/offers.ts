/**
 * The events the traversal offers in every state: every user event, card insertions and removals,
 * the done and error events of the actors running there and the delayed events of its timers;
 * one stable event object per label.
 */
import { type AnyEventObject, getNextTransitions } from 'xstate';
import { Secret } from '../../../../src/session/index.js';
import { type ActorId, DONE_OUTPUTS, ERRORS } from './actor-outcomes.js';
import { SECRET_VALUES } from './secrets.js';
import type { Snap } from './snapshot-types.js';
import { ADDRESS, OTHER_CARD, OUR_CARD, VIRTUAL_CARD } from './variants.js';

export interface Offer {
  readonly label: string;
  /** A fresh event (fresh secrets: a secret is read once). */
  readonly make: () => AnyEventObject;
}

const USER_OFFERS: readonly Offer[] = [
  { label: 'SIGN_IN valid', make: () => ({ type: 'SIGN_IN', address: ADDRESS }) },
  { label: 'SIGN_IN invalid', make: () => ({ type: 'SIGN_IN', address: 'not an address' }) },
  { label: 'SIGN_IN pre-filled', make: () => ({ type: 'SIGN_IN' }) },
  { label: 'DELETE_SIGN_IN_INFO', make: () => ({ type: 'DELETE_SIGN_IN_INFO' }) },
  {
    label: 'PASSWORD.SUBMIT',
    make: () => ({ type: 'PASSWORD.SUBMIT', password: Secret.from(SECRET_VALUES.password) }),
  },
  { label: 'OK', make: () => ({ type: 'OK' }) },
  {
    label: 'PIN.SUBMIT',
    make: () => ({ type: 'PIN.SUBMIT', pin: Secret.from(SECRET_VALUES.pin) }),
  },
  {
    label: 'PIN.CHANGE',
    make: () => ({
      type: 'PIN.CHANGE',
      current: Secret.from(SECRET_VALUES.current),
      next: Secret.from(SECRET_VALUES.next),
      confirm: Secret.from(SECRET_VALUES.confirm),
    }),
  },
  { label: 'UNBLOCK', make: () => ({ type: 'UNBLOCK' }) },
  {
    label: 'UNBLOCK.SUBMIT',
    make: () => ({
      type: 'UNBLOCK.SUBMIT',
      credential: Secret.from(SECRET_VALUES.credential),
      next: Secret.from(SECRET_VALUES.next),
      confirm: Secret.from(SECRET_VALUES.confirm),
    }),
  },
  { label: 'BACK', make: () => ({ type: 'BACK' }) },
  { label: 'CANCEL', make: () => ({ type: 'CANCEL' }) },
  { label: 'CLOSE', make: () => ({ type: 'CLOSE' }) },
  { label: 'RESTORE', make: () => ({ type: 'RESTORE' }) },
  { label: 'NOTIFICATION', make: () => ({ type: 'NOTIFICATION' }) },
  { label: 'SIGN_OUT', make: () => ({ type: 'SIGN_OUT' }) },
  {
    label: 'SIGN_OUT delete',
    make: () => ({ type: 'SIGN_OUT', deleteSignInInfo: true }),
  },
  { label: 'EXIT', make: () => ({ type: 'EXIT' }) },
];

const CARD_OFFERS: readonly Offer[] = [
  { label: 'CARD.INSERTED ours', make: () => ({ type: 'CARD.INSERTED', card: OUR_CARD }) },
  { label: 'CARD.INSERTED other', make: () => ({ type: 'CARD.INSERTED', card: OTHER_CARD }) },
  { label: 'CARD.INSERTED virtual', make: () => ({ type: 'CARD.INSERTED', card: VIRTUAL_CARD }) },
  { label: 'CARD.REMOVED ours', make: () => ({ type: 'CARD.REMOVED', cardId: OUR_CARD.id }) },
  { label: 'CARD.REMOVED other', make: () => ({ type: 'CARD.REMOVED', cardId: OTHER_CARD.id }) },
  {
    label: 'CARD.REMOVED virtual',
    make: () => ({ type: 'CARD.REMOVED', cardId: VIRTUAL_CARD.id }),
  },
];

function actorOffers(id: string): Offer[] {
  const done = (DONE_OUTPUTS[id as ActorId] ?? []).map(
    ([label, output]): Offer => ({
      label: `done ${id}: ${label}`,
      make: () => ({ type: `xstate.done.actor.${id}`, output, actorId: id }),
    }),
  );
  const failed = ERRORS.map(
    ([label, error]): Offer => ({
      label: `error ${id}: ${label}`,
      make: () => ({ type: `xstate.error.actor.${id}`, error: error(), actorId: id }),
    }),
  );
  return [...done, ...failed];
}

/** One event object per label, so that the traversal's events are stable; labels by event. */
const eventCache = new Map<string, AnyEventObject>();
const labels = new WeakMap<object, string>();
export const offersByLabel = new Map<string, Offer>();

export function cached(offer: Offer): AnyEventObject {
  let event = eventCache.get(offer.label);
  if (event === undefined) {
    event = offer.make();
    eventCache.set(offer.label, event);
    labels.set(event, offer.label);
    offersByLabel.set(offer.label, offer);
  }
  return event;
}

function afterEventTypes(snapshot: Snap): string[] {
  const types = getNextTransitions(snapshot)
    .map((t) => t.eventType)
    .filter((type) => type.startsWith('xstate.after.'));
  return [...new Set(types)];
}

/** Every event offered in `snapshot`: all user and card events, and those of its actors/timers. */
export function offers(snapshot: Snap): Offer[] {
  return [
    ...USER_OFFERS,
    ...CARD_OFFERS,
    // cardSession only returns its cleanup (the logout on stop): it never answers or fails.
    ...Object.keys(snapshot.children)
      .filter((id) => id !== 'cardSession')
      .flatMap(actorOffers),
    ...afterEventTypes(snapshot).map((type): Offer => ({ label: type, make: () => ({ type }) })),
  ];
}

export function labelOf(event: AnyEventObject): string {
  return labels.get(event) ?? JSON.stringify(event);
}
