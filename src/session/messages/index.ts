/**
 * The messages of the sign-in machine: every prompt and error it shows, in English, Korean
 * (ko-KR) and Traditional Chinese (zh-TW), the languages the Lync / Skype for Business client was
 * documented in.
 *
 * @example
 * ```ts
 * import { message, resolveLocale } from 'smartcard-2fa/session';
 *
 * const locale = resolveLocale(['ko', 'en']); // 'ko-KR'
 * message('insert-card', locale).text; // '스마트 카드 판독기에 스마트 카드를 삽입하세요.'
 * ```
 *
 * @module
 */
export type { MessageCatalog, MessageTemplate } from './catalog.js';
export { en } from './en.js';
export { koKR } from './ko-KR.js';
export type { Locale } from './locale.js';
export { isLocale, resolveLocale, SUPPORTED_LOCALES } from './locale.js';
export type { Message, MessageArgs } from './message.js';
export { CATALOGS, message } from './message.js';
export type { MessageKey, MessageParams, ParameterisedMessageKey } from './message-keys.js';
export { MESSAGE_KEYS, pinPolicyMessageKey } from './message-keys.js';
export { zhTW } from './zh-TW.js';
