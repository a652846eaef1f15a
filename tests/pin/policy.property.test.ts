import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PinPolicy, type PinPolicyRules, type PinViolationCode } from '../../src/index.js';

/**
 * An independent statement of the rules, written from the specification rather than from the
 * implementation: codes the PIN breaks as a new PIN.
 */
function oracle(r: PinPolicyRules, pin: string, current?: string): Set<PinViolationCode> {
  const broken = new Set<PinViolationCode>();
  const chars = [...pin].map((c) => c.codePointAt(0) ?? 0);
  const units = pin.length;
  if (units < r.minLength) broken.add('too-short');
  if (units > r.maxLength) broken.add('too-long');
  const allowed = (c: number) =>
    r.charset === 'digits' ? c >= 48 && c <= 57 : c >= 0x20 && c <= 0x7e;
  if (!chars.every(allowed) || /[\ud800-\udfff]/.test(pin)) broken.add('invalid-character');
  if (r.forbidDefaultAsNew && pin === r.defaultPin) broken.add('default-pin');
  if (r.forbidTrivial && chars.length >= 2 && new Set(chars).size === 1) {
    broken.add('repeated-character');
  }
  if (r.forbidTrivial && chars.length >= 3) {
    const digitsOnly = /^[0-9]+$/.test(pin);
    const steps = chars.slice(1).map((c, i) => {
      const d = c - (chars[i] ?? 0);
      return digitsOnly ? (d + 10) % 10 : d;
    });
    const down = digitsOnly ? 9 : -1;
    if (steps.every((s) => s === 1) || steps.every((s) => s === down)) broken.add('sequence');
  }
  if (r.forbidReuse && current !== undefined && pin === current) broken.add('same-as-current');
  return broken;
}

const rulesArb: fc.Arbitrary<PinPolicyRules> = fc
  .record({
    minLength: fc.integer({ min: 1, max: 10 }),
    extra: fc.integer({ min: 0, max: 10 }),
    charset: fc.constantFrom('printable-ascii' as const, 'digits' as const),
    changeOnFirstUse: fc.boolean(),
    maxAttempts: fc.integer({ min: 1, max: 10 }),
    maxUnblockAttempts: fc.integer({ min: 1, max: 10 }),
    forbidDefaultAsNew: fc.boolean(),
    forbidTrivial: fc.boolean(),
    forbidReuse: fc.boolean(),
  })
  .map(({ extra, ...r }) => ({
    ...r,
    maxLength: r.minLength + extra,
    defaultPin: '1234567890'.repeat(3).slice(0, r.minLength),
  }));

/** Strings near the interesting cases: runs, repeats, digits, ASCII, anything. */
const pinArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 24 }),
  fc.string({ maxLength: 24 }),
  fc.stringMatching(/^[0-9]{0,14}$/),
  fc
    .tuple(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 1, max: 14 }), fc.boolean())
    .map(([start, n, up]) =>
      String.fromCharCode(
        ...Array.from({ length: n }, (_, i) =>
          Math.min(0x7e, Math.max(0x20, start + (up ? i : -i))),
        ),
      ),
    ),
  fc
    .tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 14 }), fc.boolean())
    .map(([start, n, up]) =>
      Array.from({ length: n }, (_, i) => (start + (up ? i : 10 - i)) % 10).join(''),
    ),
  fc
    .tuple(fc.string({ minLength: 1, maxLength: 1 }), fc.integer({ min: 1, max: 14 }))
    .map(([c, n]) => c.repeat(n)),
);

describe('PinPolicy.validate against an independent oracle', () => {
  it('a PIN validate accepts breaks no rule, and every broken rule is reported', () => {
    fc.assert(
      fc.property(
        rulesArb,
        pinArb,
        fc.option(pinArb, { nil: undefined }),
        (rules, pin, current) => {
          const policy = new PinPolicy(rules);
          const reported = policy.validate(
            pin,
            current === undefined ? {} : { currentPin: current },
          );
          const expected = oracle(rules, pin, current);
          expect(new Set(reported.map((v) => v.code))).toEqual(expected);
          if (reported.length === 0) {
            expect(pin.length).toBeGreaterThanOrEqual(rules.minLength);
            expect(pin.length).toBeLessThanOrEqual(rules.maxLength);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('checkFormat is the length and charset part of validate', () => {
    fc.assert(
      fc.property(rulesArb, pinArb, (rules, pin) => {
        const policy = new PinPolicy(rules);
        const format = new Set(policy.checkFormat(pin).map((v) => v.code));
        const all = new Set(policy.validate(pin).map((v) => v.code));
        const formatCodes: PinViolationCode[] = ['too-short', 'too-long', 'invalid-character'];
        for (const code of formatCodes) expect(format.has(code)).toBe(all.has(code));
      }),
      { numRuns: 1000 },
    );
  });
});
