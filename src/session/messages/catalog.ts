import type { MessageKey, MessageParams } from './message-keys.js';

/**
 * The text of one message in one language: a string, or for a parameterised key a function of
 * that key's {@link MessageParams} (which may choose a plural form).
 *
 * @example
 * ```ts
 * import { CATALOGS, type MessageCatalog, type MessageTemplate } from 'smartcard-2fa/session';
 *
 * // One wording of the organisation's own, typed by its key's parameters.
 * const tooLong: MessageTemplate<'pin-policy-too-long'> = ({ limit }) =>
 *   `Your PIN can have ${limit} characters at most.`;
 * const ours: MessageCatalog = { ...CATALOGS.en, 'pin-policy-too-long': tooLong };
 * console.log(ours['pin-policy-too-long']({ limit: 8 }));
 * ```
 *
 * @category Client
 */
export type MessageTemplate<K extends MessageKey> = K extends keyof MessageParams
  ? (params: MessageParams[K]) => string
  : string;

/**
 * Every message in one language. A catalog that lacks a key, has an unknown one, or gives a
 * string where parameters are needed does not type-check.
 *
 * @example
 * ```ts
 * import { CATALOGS, type MessageCatalog } from 'smartcard-2fa/session';
 *
 * // The organisation's own wording, over the English catalog.
 * const ours: MessageCatalog = {
 *   ...CATALOGS.en,
 *   'sign-in-address-prompt': 'Enter your Contoso e-mail address.',
 *   'pin-wrong': ({ attemptsRemaining }) => `Wrong PIN: ${attemptsRemaining} tries left.`,
 * };
 * console.log(ours['pin-wrong']({ attemptsRemaining: 2 }));
 * ```
 *
 * @category Client
 */
export type MessageCatalog = { readonly [K in MessageKey]: MessageTemplate<K> };
