import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PIN,
  DEFAULT_PIN_RULES,
  PIN_POLICY_PRESETS,
  PinPolicy,
  type PinPolicyRules,
  SmartCardError,
} from '../../src/index.js';

const codes = (policy: PinPolicy, pin: unknown, currentPin?: string) =>
  policy
    .validate(pin, currentPin === undefined ? {} : { currentPin })
    .map((violation) => violation.code);

describe('PinPolicy defaults', () => {
  const policy = new PinPolicy();

  it('are those of Lync / Skype for Business cards and Windows virtual smart cards', () => {
    expect(DEFAULT_PIN).toBe('12345678');
    expect(policy.rules).toEqual({
      minLength: 8,
      maxLength: 127,
      charset: 'printable-ascii',
      defaultPin: '12345678',
      changeOnFirstUse: true,
      maxAttempts: 5,
      maxUnblockAttempts: 3,
      forbidDefaultAsNew: true,
      forbidTrivial: true,
      forbidReuse: true,
    });
    expect(Object.isFrozen(policy.rules)).toBe(true);
    expect(Object.isFrozen(DEFAULT_PIN_RULES)).toBe(true);
  });

  it('accept a good PIN', () => {
    expect(policy.validate('k7#Lm2pQ')).toEqual([]);
    expect(policy.validate('correct horse battery')).toEqual([]);
  });

  it.each([
    ['1234567', ['too-short', 'sequence']],
    ['k7#Lm2p', ['too-short']],
    ['x'.repeat(128), ['too-long', 'repeated-character']],
    ['k7#Lm2pQé', ['invalid-character']],
    ['k7#Lm2p\u0000', ['invalid-character']],
    ['k7#Lm2p\ud800', ['invalid-character']],
    ['k7#Lm2p\n', ['invalid-character']],
    ['12345678', ['default-pin', 'sequence']],
    ['00000000', ['repeated-character']],
    ['87654321', ['sequence']],
    ['abcdefgh', ['sequence']],
    ['HGFEDCBA', ['sequence']],
    ['78901234', ['sequence']],
    ['32109876', ['sequence']],
    ['', ['too-short']],
  ])('refuses %o with %o', (pin, expected) => {
    expect(codes(policy, pin)).toEqual(expected);
  });

  it('does not call near-runs trivial', () => {
    expect(codes(policy, '12345679')).toEqual([]);
    expect(codes(policy, '11111112')).toEqual([]);
    expect(codes(policy, 'yz{|}~!"')).toEqual([]);
  });

  it('refuses reuse of the current PIN only when told the current PIN', () => {
    expect(codes(policy, 'k7#Lm2pQ', 'k7#Lm2pQ')).toEqual(['same-as-current']);
    expect(codes(policy, 'k7#Lm2pQ', 'other-pin')).toEqual([]);
  });

  it('reports a non-string as a violation, never throwing', () => {
    for (const value of [undefined, null, 12345678, {}, ['1'], Symbol('pin')]) {
      expect(codes(policy, value)).toEqual(['not-a-string']);
    }
  });

  it('gives the limits a translated message needs, and never echoes the PIN', () => {
    const [short] = policy.validate('Ab3!');
    expect(short).toMatchObject({ code: 'too-short', limit: 8 });
    for (const v of policy.validate('Zq\u0000')) expect(v.message).not.toContain('Zq');
  });

  it('checkFormat looks only at type, length and characters', () => {
    expect(policy.checkFormat(DEFAULT_PIN)).toEqual([]);
    expect(policy.checkFormat('00000000')).toEqual([]);
    expect(policy.checkFormat('short').map((v) => v.code)).toEqual(['too-short']);
    expect(policy.checkFormat(42).map((v) => v.code)).toEqual(['not-a-string']);
  });
});

describe('PinPolicy rules', () => {
  it('digits only', () => {
    const policy = new PinPolicy({ charset: 'digits', minLength: 6, maxLength: 8 });
    expect(codes(policy, '480913')).toEqual([]);
    expect(codes(policy, '48091a')).toEqual(['invalid-character']);
    expect(codes(policy, '48 913')).toEqual(['invalid-character']);
  });

  it('each refusal can be switched off', () => {
    const lax = new PinPolicy({
      forbidDefaultAsNew: false,
      forbidTrivial: false,
      forbidReuse: false,
    });
    expect(codes(lax, '12345678', '12345678')).toEqual([]);
    expect(codes(lax, '00000000')).toEqual([]);
  });

  it.each<[string, Record<string, unknown>]>([
    ['an unknown rule', { minLenght: 4 }],
    ['min above max', { minLength: 10, maxLength: 9 }],
    ['zero min length', { minLength: 0 }],
    ['fractional attempts', { maxAttempts: 2.5 }],
    ['zero attempts', { maxAttempts: 0 }],
    ['too many attempts', { maxAttempts: 256 }],
    ['zero unblock attempts', { maxUnblockAttempts: 0 }],
    ['absurd max length', { maxLength: 100_000 }],
    ['an unknown charset', { charset: 'emoji' }],
    ['a string boolean', { forbidTrivial: 'yes' }],
    ['a default PIN outside the length', { defaultPin: '1234' }],
    ['a default PIN outside the charset', { charset: 'digits', defaultPin: 'abcdefgh' }],
    ['a non-string default PIN', { defaultPin: 12345678 }],
  ])('refuses %s with ERR_INVALID_INPUT', (_, rules) => {
    let error: unknown;
    try {
      new PinPolicy(rules as Partial<PinPolicyRules>);
    } catch (e) {
      error = e;
    }
    expect(SmartCardError.is(error, 'ERR_INVALID_INPUT')).toBe(true);
  });

  it('refuses rules that are not an object', () => {
    expect(() => new PinPolicy(null as unknown as PinPolicyRules)).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
  });
});

describe('PinPolicy presets', () => {
  it('skypeForBusiness: 12345678, changed on first use, default refused as new', () => {
    const rules = PinPolicy.preset('skypeForBusiness').rules;
    expect(rules).toMatchObject({
      defaultPin: '12345678',
      changeOnFirstUse: true,
      forbidDefaultAsNew: true,
    });
  });

  it('windowsVirtualSmartCard: tpmvscmgr defaults, 8 to 127 printable ASCII, 5 attempts', () => {
    const policy = PinPolicy.preset('windowsVirtualSmartCard');
    expect(policy.rules).toMatchObject({
      minLength: 8,
      maxLength: 127,
      charset: 'printable-ascii',
      defaultPin: '12345678',
      maxAttempts: 5,
      changeOnFirstUse: false,
    });
    expect(codes(policy, '12345678')).toEqual([]);
  });

  it('piv: 6 to 8 characters, default 123456, 3 PIN and 3 PUK attempts', () => {
    const policy = PinPolicy.preset('piv');
    expect(policy.rules).toMatchObject({
      minLength: 6,
      maxLength: 8,
      defaultPin: '123456',
      maxAttempts: 3,
      maxUnblockAttempts: 3,
    });
    expect(codes(policy, '123456789')).toEqual(['too-long']);
  });

  it('accepts overrides, checked like any rules', () => {
    expect(PinPolicy.preset('piv', { maxAttempts: 5 }).rules.maxAttempts).toBe(5);
    expect(() => PinPolicy.preset('piv', { minLength: 9 })).toThrow(
      expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
    );
  });

  it('refuses an unknown preset name, including inherited property names', () => {
    for (const name of ['nope', 'toString', '__proto__']) {
      expect(() => PinPolicy.preset(name as 'piv')).toThrow(
        expect.objectContaining({ code: 'ERR_INVALID_INPUT' }),
      );
    }
  });

  it('are frozen data', () => {
    expect(Object.isFrozen(PIN_POLICY_PRESETS)).toBe(true);
    expect(Object.isFrozen(PIN_POLICY_PRESETS.piv)).toBe(true);
  });
});
