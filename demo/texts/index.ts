/**
 * The demo's own lines in each locale the SDK's sign-in screens speak, and the SDK's own
 * labels (Sign In, Exit, ...) where the demo shows them outside a screen's prompt.
 */
import {
  type Locale,
  type MessageKey,
  message,
  type ParameterisedMessageKey,
} from 'smartcard-2fa/session';
import { type DemoTexts, en } from './en.js';
import { koKR } from './ko-KR.js';
import { zhTW } from './zh-TW.js';

export type { DemoTexts } from './en.js';

const TEXTS: { readonly [L in Locale]: DemoTexts } = { en, 'ko-KR': koKR, 'zh-TW': zhTW };

/** The demo's own lines in `locale`. */
export function demoTexts(locale: Locale): DemoTexts {
  return TEXTS[locale];
}

/** A label or line from the SDK's sign-in catalog (one without parameters) in `locale`. */
export function sdkText(key: Exclude<MessageKey, ParameterisedMessageKey>, locale: Locale): string {
  return message(key, locale).text;
}
