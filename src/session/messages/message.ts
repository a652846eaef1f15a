import { InvalidInputError } from '../../errors.js';
import type { MessageCatalog } from './catalog.js';
import { en } from './en.js';
import { koKR } from './ko-KR.js';
import { isLocale, type Locale, SUPPORTED_LOCALES } from './locale.js';
import type { MessageKey, MessageParams, ParameterisedMessageKey } from './message-keys.js';
import { zhTW } from './zh-TW.js';

/**
 * The message catalog of each supported locale.
 *
 * @example
 * ```ts
 * import { CATALOGS, type Locale } from 'smartcard-2fa/session';
 * import type { MessageKey, ParameterisedMessageKey } from 'smartcard-2fa/session';
 *
 * // A side-by-side table for translators: one key, every language.
 * function row(key: Exclude<MessageKey, ParameterisedMessageKey>) {
 *   const locales = Object.keys(CATALOGS) as Locale[];
 *   return locales.map((locale) => `${locale}: ${CATALOGS[locale][key]}`).join(' | ');
 * }
 * console.log(row('sign-out')); // en: Sign out | ko-KR: 로그아웃 | zh-TW: 登出
 * ```
 *
 * @category Client
 */
export const CATALOGS: { readonly [L in Locale]: MessageCatalog } = {
  en,
  'ko-KR': koKR,
  'zh-TW': zhTW,
};

/**
 * A message ready to show: its stable key, for programs, and its text in one language.
 *
 * @example
 * ```ts
 * import type { Actor } from 'xstate';
 * import { type Message, type SignInMachine, viewSignIn } from 'smartcard-2fa/session';
 *
 * declare const actor: Actor<SignInMachine>;
 * declare const promptElement: HTMLElement;
 * const prompt: Message = viewSignIn(actor.getSnapshot()).prompt;
 * promptElement.textContent = prompt.text; // in the machine's locale
 * promptElement.dataset.key = prompt.key; // for tests and styling: never branch on the text
 * ```
 *
 * @category Client
 */
export interface Message<K extends MessageKey = MessageKey> {
  /** Which message this is; branch on this, never on the text. */
  readonly key: K;
  /** The message in the requested language. */
  readonly text: string;
}

/**
 * The arguments after the locale: the parameters a parameterised key requires, nothing for
 * the others.
 *
 * @example
 * ```ts
 * import { type MessageArgs, message } from 'smartcard-2fa/session';
 *
 * declare const retryAfterMs: number; // from a TpmLockoutError
 * const args: MessageArgs<'tpm-locked-out'> = [{ seconds: Math.ceil(retryAfterMs / 1000) }];
 * const none: MessageArgs<'signed-in'> = [];
 * console.log(message('tpm-locked-out', 'en', ...args).text);
 * console.log(message('signed-in', 'en', ...none).text);
 * ```
 *
 * @category Client
 */
export type MessageArgs<K extends MessageKey> = [K] extends [ParameterisedMessageKey]
  ? [params: MessageParams[K]]
  : [K] extends [Exclude<MessageKey, ParameterisedMessageKey>]
    ? []
    : [params?: MessageParams[K & ParameterisedMessageKey]];

/** The names of each parameterised message's parameters, to check and pick them at run time. */
const PARAM_NAMES: {
  readonly [K in ParameterisedMessageKey]: readonly (keyof MessageParams[K])[];
} = {
  'pin-wrong': ['attemptsRemaining'],
  'pin-policy-too-short': ['limit'],
  'pin-policy-too-long': ['limit'],
  'tpm-locked-out': ['seconds'],
};

function isParameterised(key: MessageKey): key is ParameterisedMessageKey {
  return Object.hasOwn(PARAM_NAMES, key);
}

/** Only the expected parameters, each a non-negative integer; anything else is refused. */
function checkParams(key: ParameterisedMessageKey, params: unknown): Record<string, number> {
  if (typeof params !== 'object' || params === null) {
    throw new InvalidInputError(`The message "${key}" needs parameters.`);
  }
  const names: readonly string[] = PARAM_NAMES[key];
  const picked: Record<string, number> = {};
  for (const name of names) {
    const value: unknown = (params as Record<string, unknown>)[name];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw new InvalidInputError(
        `The parameter "${name}" of the message "${key}" must be a non-negative integer.`,
      );
    }
    picked[name] = value;
  }
  for (const name of Object.keys(params)) {
    if (!names.includes(name)) {
      throw new InvalidInputError(`The message "${key}" has no parameter "${name}".`);
    }
  }
  return picked;
}

/**
 * The message `key` in `locale`, with its parameters filled in. Parameters are non-negative
 * integers only (attempts remaining, a length limit, seconds), so no PIN or other secret can
 * reach a message. Use {@link resolveLocale} to turn a user's preferences into a `Locale`.
 *
 * @throws {InvalidInputError} for an unknown locale or key, or missing, extra or non-integer
 *   parameters.
 * @example
 * ```ts
 * import { message } from 'smartcard-2fa/session';
 *
 * message('pin-wrong', 'en', { attemptsRemaining: 1 }).text;
 * // 'The PIN is not correct. 1 attempt remaining.'
 * message('sign-out', 'ko-KR'); // { key: 'sign-out', text: '로그아웃' }
 * ```
 *
 * @category Client
 */
export function message<K extends MessageKey>(
  key: K,
  locale: Locale,
  ...args: MessageArgs<K>
): Message<K> {
  if (!isLocale(locale)) {
    throw new InvalidInputError(
      `Unknown locale "${String(locale)}". Locales: ${SUPPORTED_LOCALES.join(', ')}.`,
    );
  }
  const catalog = CATALOGS[locale];
  if (typeof key !== 'string' || !Object.hasOwn(catalog, key)) {
    throw new InvalidInputError(`Unknown message key "${String(key)}".`);
  }
  if (!isParameterised(key)) {
    return { key, text: catalog[key] as string };
  }
  const template = catalog[key] as (params: Record<string, number>) => string;
  return { key, text: template(checkParams(key, args[0])) };
}
