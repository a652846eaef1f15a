import { InvalidInputError } from '../../errors.js';

/**
 * The languages the messages are written in: English, Korean and Traditional Chinese, the
 * languages the Lync / Skype for Business client was documented in.
 *
 * @example
 * ```ts
 * import { message, SUPPORTED_LOCALES } from 'smartcard-2fa/session';
 *
 * declare const picker: HTMLSelectElement; // the app's language menu
 * for (const locale of SUPPORTED_LOCALES) {
 *   const option = new Option(message('sign-out', locale).text, locale);
 *   picker.add(option); // each language named by its own "Sign out"
 * }
 * ```
 *
 * @category Client
 */
export const SUPPORTED_LOCALES = ['en', 'ko-KR', 'zh-TW'] as const;

/**
 * One of {@link SUPPORTED_LOCALES}.
 *
 * @example
 * ```ts
 * import { createSignInMachine, type Locale, resolveLocale } from 'smartcard-2fa/session';
 *
 * const locale: Locale = resolveLocale(navigator.languages); // 'ko-KR' for ['ko', 'en-US']
 * const machine = createSignInMachine({
 *   method: 'password',
 *   locale,
 *   verifyPassword: async () => ({ verified: false }),
 * });
 * ```
 *
 * @category Client
 */
export type Locale = (typeof SUPPORTED_LOCALES)[number];

/**
 * Whether `value` is one of {@link SUPPORTED_LOCALES}, exactly as spelled there.
 *
 * @example
 * ```ts
 * import { isLocale } from 'smartcard-2fa/session';
 *
 * isLocale('zh-TW'); // true
 * isLocale('zh-tw'); // false: use resolveLocale for user preferences
 * ```
 *
 * @category Client
 */
export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(value);
}

/** The supported locale a single BCP 47 tag asks for, if any. Case and `_` are tolerated. */
function matchTag(tag: string): Locale | undefined {
  const [language, ...rest] = tag.trim().toLowerCase().split(/[-_]/);
  if (language === 'en') return 'en';
  if (language === 'ko') return 'ko-KR';
  if (language !== 'zh') return undefined;
  let script: string | undefined;
  let region: string | undefined;
  for (const subtag of rest) {
    if (subtag.length <= 1) break; // an extension or private use: no script or region after it
    if (script === undefined && region === undefined && /^[a-z]{4}$/.test(subtag)) {
      script = subtag;
    } else if (region === undefined && /^(?:[a-z]{2}|\d{3})$/.test(subtag)) {
      region = subtag;
    }
  }
  if (script === 'hant') return 'zh-TW';
  if (script === undefined && (region === 'tw' || region === 'hk' || region === 'mo')) {
    return 'zh-TW';
  }
  return undefined;
}

/**
 * The supported locale that best fits a user's preferences: the first BCP 47 tag, in order,
 * that one of {@link SUPPORTED_LOCALES} serves, else `'en'`. Any `en-*` tag gives `'en'`, any
 * `ko-*` tag `'ko-KR'`, and Traditional Chinese (`zh-Hant`, `zh-TW`, `zh-HK`, `zh-MO`) gives
 * `'zh-TW'`; Simplified Chinese (`zh`, `zh-CN`, `zh-Hans`) is not served and is skipped.
 *
 * @throws {InvalidInputError} when `preferred` is not a string or an array of strings.
 * @example
 * ```ts
 * import { resolveLocale } from 'smartcard-2fa/session';
 *
 * resolveLocale('ko'); // 'ko-KR'
 * resolveLocale(['fr-FR', 'zh-Hant-HK', 'en']); // 'zh-TW'
 * resolveLocale(navigator.languages); // whatever the browser prefers, or 'en'
 * ```
 *
 * @category Client
 */
export function resolveLocale(preferred: string | readonly string[]): Locale {
  const tags: readonly unknown[] | undefined =
    typeof preferred === 'string' ? [preferred] : Array.isArray(preferred) ? preferred : undefined;
  if (tags === undefined) {
    throw new InvalidInputError('The preferred locales must be a string or an array of strings.');
  }
  for (const tag of tags) {
    if (typeof tag !== 'string') {
      throw new InvalidInputError('Each preferred locale must be a string (a BCP 47 tag).');
    }
    const match = matchTag(tag);
    if (match !== undefined) return match;
  }
  return 'en';
}
