import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../../src/errors.js';
import type { PinViolationCode } from '../../../src/pin/policy.js';
import { PinPolicy } from '../../../src/pin/policy.js';
import {
  CATALOGS,
  type Locale,
  MESSAGE_KEYS,
  type MessageCatalog,
  type MessageKey,
  type MessageParams,
  message,
  type ParameterisedMessageKey,
  pinPolicyMessageKey,
  resolveLocale,
  SUPPORTED_LOCALES,
} from '../../../src/session/messages/index.js';

/** Sample parameters for every parameterised key: typed, so a new one must be added here. */
const SAMPLES: { readonly [K in ParameterisedMessageKey]: readonly MessageParams[K][] } = {
  'pin-wrong': [{ attemptsRemaining: 0 }, { attemptsRemaining: 1 }, { attemptsRemaining: 47 }],
  'pin-policy-too-short': [{ limit: 1 }, { limit: 38 }],
  'pin-policy-too-long': [{ limit: 1 }, { limit: 127 }],
  'tpm-locked-out': [{ seconds: 1 }, { seconds: 593 }],
};

const PARAMETERISED = Object.keys(SAMPLES) as ParameterisedMessageKey[];

/** Every text of `locale`: one per plain key, one per sample of a parameterised key. */
function allTexts(locale: Locale): { key: MessageKey; text: string }[] {
  return MESSAGE_KEYS.flatMap((key) => {
    const template = CATALOGS[locale][key] as string | ((params: object) => string);
    if (typeof template === 'string') return [{ key, text: template }];
    return (SAMPLES[key as ParameterisedMessageKey] as readonly object[]).map((params) => ({
      key,
      text: template(params),
    }));
  });
}

describe('message catalogs', () => {
  it('has no duplicate keys', () => {
    expect(new Set(MESSAGE_KEYS).size).toBe(MESSAGE_KEYS.length);
  });

  it.each(SUPPORTED_LOCALES)('%s has every key and no other', (locale) => {
    expect(Object.keys(CATALOGS[locale]).sort()).toEqual([...MESSAGE_KEYS].sort());
  });

  it.each(SUPPORTED_LOCALES)('%s gives a function exactly for the parameterised keys', (locale) => {
    for (const key of MESSAGE_KEYS) {
      const kind = typeof CATALOGS[locale][key];
      expect([key, kind]).toEqual([
        key,
        PARAMETERISED.includes(key as ParameterisedMessageKey) ? 'function' : 'string',
      ]);
    }
  });

  it.each(SUPPORTED_LOCALES)('%s has no empty or unfilled message', (locale) => {
    for (const { key, text } of allTexts(locale)) {
      expect(text.trim(), key).not.toBe('');
      expect(text, key).toBe(text.trim());
      expect(text, key).not.toMatch(/\{|\}|undefined|NaN|null|\[object/);
    }
  });

  it.each(SUPPORTED_LOCALES)('%s uses every parameter of every parameterised message', (locale) => {
    for (const key of PARAMETERISED) {
      for (const params of SAMPLES[key]) {
        const { text } = message(key, locale, params as never);
        for (const value of Object.values(params)) {
          expect(text, key).toMatch(new RegExp(`(^|\\D)${value}(\\D|$)`));
        }
      }
    }
  });

  it('chooses the English plural forms', () => {
    expect(message('pin-wrong', 'en', { attemptsRemaining: 1 }).text).toBe(
      'The PIN is not correct. 1 attempt remaining.',
    );
    expect(message('pin-wrong', 'en', { attemptsRemaining: 3 }).text).toBe(
      'The PIN is not correct. 3 attempts remaining.',
    );
    expect(message('pin-wrong', 'en', { attemptsRemaining: 0 }).text).toContain('0 attempts');
    expect(message('pin-policy-too-short', 'en', { limit: 1 }).text).toContain('1 character.');
    expect(message('pin-policy-too-long', 'en', { limit: 8 }).text).toContain('8 characters.');
    expect(message('tpm-locked-out', 'en', { seconds: 1 }).text).toContain('in 1 second,');
    expect(message('tpm-locked-out', 'en', { seconds: 10 }).text).toContain('in 10 seconds,');
  });

  it('has a message for every PIN policy violation, with the limit where there is one', () => {
    const codes: readonly PinViolationCode[] = [
      'not-a-string',
      'too-short',
      'too-long',
      'invalid-character',
      'default-pin',
      'repeated-character',
      'sequence',
      'same-as-current',
    ];
    for (const code of codes) expect(MESSAGE_KEYS).toContain(pinPolicyMessageKey(code));
    const violations = new PinPolicy({ minLength: 6 }).validate('111');
    const texts = violations.map((v) =>
      v.code === 'too-short' || v.code === 'too-long'
        ? message(pinPolicyMessageKey(v.code), 'ko-KR', { limit: v.limit ?? 0 }).text
        : message(pinPolicyMessageKey(v.code), 'ko-KR').text,
    );
    expect(texts).toContain('PIN은 6자 이상이어야 합니다.');
  });

  it('gives one vague message for every refusal by the server', () => {
    // The Authenticator's reasons are for logs; the user sees the same words for each.
    expect(message('sign-in-refused', 'en').text).not.toMatch(
      /certificate|signature|challenge|expired|user/i,
    );
  });

  it('uses the Lync / Skype for Business client’s terms, with its documentation’s translation errors corrected', () => {
    expect(message('sign-out', 'en').text).toBe('Sign out');
    expect(message('close', 'en').text).toBe('Close');
    expect(message('exit', 'en').text).toBe('Exit');
    expect(message('delete-sign-in-info', 'en').text).toBe('Delete my sign-in information');
    expect(message('sign-out', 'ko-KR').text).toBe('로그아웃');
    expect(message('sign-out-effect', 'ko-KR').text).not.toContain('로그인하면');
    expect(message('card-removed-signed-out', 'ko-KR').text).toContain('로그아웃');
    expect(message('delete-sign-in-info', 'ko-KR').text).toBe('내 로그인 정보 삭제');
    expect(message('exit', 'ko-KR').text).toBe('종료');
    expect(message('sign-in-address-prompt', 'ko-KR').text).toContain('로그인 주소');
    expect(message('sign-out', 'zh-TW').text).toBe('登出');
    expect(message('delete-sign-in-info', 'zh-TW').text).toBe('刪除我的登入資訊');
    expect(message('sign-in-address-prompt', 'zh-TW').text).toContain('登入位址');
    for (const { text } of allTexts('zh-TW')) {
      expect(text).not.toMatch(/登錄|會話|顯示器/);
    }
    for (const locale of SUPPORTED_LOCALES) {
      expect(message('display-closed', locale).text).not.toBe(message('signed-in', locale).text);
    }
  });

  it('never shows a default PIN value or any other secret', () => {
    for (const locale of SUPPORTED_LOCALES) {
      for (const { key, text } of allTexts(locale)) {
        expect(text, key).not.toMatch(/12345678|123456|010203/);
      }
    }
  });
});

describe('message', () => {
  it('returns the key and the text', () => {
    expect(message('insert-card', 'zh-TW')).toEqual({
      key: 'insert-card',
      text: '請將智慧卡插入智慧卡讀卡機。',
    });
    expect(message('tpm-locked-out', 'ko-KR', { seconds: 20 }).text).toContain('20초');
  });

  it('refuses an unknown locale or key', () => {
    expect(() => message('signed-in', 'fr' as Locale)).toThrow(InvalidInputError);
    expect(() => message('signed-in', 'ko' as Locale)).toThrow(InvalidInputError);
    expect(() => message('nope' as MessageKey, 'en')).toThrow(InvalidInputError);
    expect(() => message('toString' as MessageKey, 'en')).toThrow(InvalidInputError);
  });

  it('refuses missing, extra and non-integer parameters, so no PIN can be interpolated', () => {
    const anyMessage = message as (key: string, locale: string, params?: unknown) => unknown;
    expect(() => anyMessage('pin-wrong', 'en')).toThrow(InvalidInputError);
    expect(() => anyMessage('pin-wrong', 'en', {})).toThrow(InvalidInputError);
    expect(() => anyMessage('pin-wrong', 'en', { attemptsRemaining: '1234' })).toThrow(
      InvalidInputError,
    );
    expect(() => anyMessage('pin-wrong', 'en', { attemptsRemaining: -1 })).toThrow(
      InvalidInputError,
    );
    expect(() => anyMessage('pin-wrong', 'en', { attemptsRemaining: 1.5 })).toThrow(
      InvalidInputError,
    );
    expect(() => anyMessage('tpm-locked-out', 'en', { seconds: Number.NaN })).toThrow(
      InvalidInputError,
    );
    expect(() => anyMessage('pin-wrong', 'en', { attemptsRemaining: 1, pin: '1234' })).toThrow(
      InvalidInputError,
    );
  });

  it('checks keys, locales and parameters at compile time', () => {
    // @ts-expect-error: the parameters are required
    expect(() => message('pin-wrong', 'en')).toThrow(InvalidInputError);
    // @ts-expect-error: not a supported locale
    expect(() => message('signed-in', 'de')).toThrow(InvalidInputError);
    // @ts-expect-error: not a message key
    expect(() => message('hello', 'en')).toThrow(InvalidInputError);
    // @ts-expect-error: a missing key is a type error
    const incomplete: MessageCatalog = { 'signed-in': 'Signed in.' };
    expect(Object.keys(incomplete)).toHaveLength(1);
    const { error, ...withoutError } = CATALOGS.en;
    expect(error).toBeTypeOf('string');
    // @ts-expect-error: so is one key left out of a full catalog
    const missingError: MessageCatalog = withoutError;
    expect(missingError).not.toHaveProperty('error');
  });
});

describe('resolveLocale', () => {
  it.each([
    ['en', 'en'],
    ['en-GB', 'en'],
    ['ko', 'ko-KR'],
    ['ko-KR', 'ko-KR'],
    ['KO_kr', 'ko-KR'],
    ['zh-TW', 'zh-TW'],
    ['zh-HK', 'zh-TW'],
    ['zh-MO', 'zh-TW'],
    ['zh-Hant', 'zh-TW'],
    ['zh-Hant-CN', 'zh-TW'],
    ['zh-yue-HK', 'zh-TW'],
    ['zh', 'en'],
    ['zh-CN', 'en'],
    ['zh-Hans', 'en'],
    ['zh-Hans-TW', 'en'],
    ['zh-x-tw', 'en'],
    ['fr-FR', 'en'],
    ['kok', 'en'],
    ['', 'en'],
    ['*', 'en'],
  ] as const)('%s → %s', (tag, expected) => {
    expect(resolveLocale(tag)).toBe(expected);
  });

  it('takes the first served preference, in order', () => {
    expect(resolveLocale(['fr', 'zh-Hant-TW', 'ko'])).toBe('zh-TW');
    expect(resolveLocale(['zh-CN', 'ko-KR', 'en'])).toBe('ko-KR');
    expect(resolveLocale(['en-US', 'ko'])).toBe('en');
    expect(resolveLocale([])).toBe('en');
  });

  it('refuses what is not a tag or a list of tags', () => {
    expect(() => resolveLocale(42 as unknown as string)).toThrow(InvalidInputError);
    expect(() => resolveLocale([null] as unknown as string[])).toThrow(InvalidInputError);
  });
});
