import { type EventObject, fromCallback } from 'xstate';
import type { SmartCard } from '../../card/contract/smart-card.js';

/** Whether `value` is a card the machine held: something with a `logout`. */
function isCard(value: unknown): value is SmartCard {
  return typeof (value as { logout?: unknown } | null | undefined)?.logout === 'function';
}

/**
 * Runs as long as the machine's actor. When the actor is stopped (`actor.stop()`, or its parent
 * stops) in any state, it logs out the card the machine holds, so a PIN verified for the session
 * does not stay verified on the card. Nothing is awaited; a failure changes nothing. Not one of
 * the replaceable `SignInActors`: it touches nothing but the card the machine holds.
 *
 * @category Client
 */
export const cardSession = fromCallback<EventObject>(({ self }) => () => {
  const held = (self._parent?.getSnapshot() as { context?: { card?: unknown } } | undefined)
    ?.context?.card;
  if (isCard(held)) held.logout().catch(() => undefined);
});
