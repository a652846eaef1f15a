/**
 * The checks a case of the SmartCard contract makes, without a test runner: each one throws a
 * {@link ContractViolation} naming the case when the card does not do what the contract says.
 */
import { SmartCardError } from '../../errors.js';
import { ContractViolation, describeValue } from './violation.js';

/** Deep equality as `toEqual` has it: byte arrays by content, absent and undefined alike. */
export function sameValue(actual: unknown, expected: unknown): boolean {
  if (Object.is(actual, expected)) return true;
  if (actual instanceof Uint8Array || expected instanceof Uint8Array) {
    if (!(actual instanceof Uint8Array && expected instanceof Uint8Array)) return false;
    return actual.length === expected.length && actual.every((byte, i) => byte === expected[i]);
  }
  if (Array.isArray(actual) || Array.isArray(expected)) {
    if (!(Array.isArray(actual) && Array.isArray(expected))) return false;
    return (
      actual.length === expected.length && actual.every((item, i) => sameValue(item, expected[i]))
    );
  }
  if (!isRecord(actual) || !isRecord(expected)) return false;
  const keys = new Set([...definedKeys(actual), ...definedKeys(expected)]);
  return [...keys].every((key) => sameValue(actual[key], expected[key]));
}

/** Whether `actual` has every field of `shape` (recursively), as `toMatchObject` has it. */
export function hasShape(actual: unknown, shape: Readonly<Record<string, unknown>>): boolean {
  if (!isRecord(actual)) return false;
  return Object.entries(shape).every(([key, field]) =>
    isRecord(field) && !(field instanceof Uint8Array) && !Array.isArray(field)
      ? hasShape(actual[key], field)
      : sameValue(actual[key], field),
  );
}

/** What a promise came to: the code of the SmartCardError it rejected with, or how it ended. */
export async function outcomeCode(promise: Promise<unknown>): Promise<string> {
  try {
    const value = await promise;
    return `no error (resolved ${describeValue(value)})`;
  } catch (error) {
    return SmartCardError.is(error) ? error.code : `not a SmartCardError: ${describeValue(error)}`;
  }
}

/**
 * The checks of one case: every failure is a {@link ContractViolation} with the case's name.
 * Internal to the contract kit.
 */
export class CaseExpectations {
  readonly #caseName: string;

  constructor(caseName: string) {
    this.#caseName = caseName;
  }

  /** Fails the case: `check` expected `expected` and saw `actual` (both described already). */
  fail(check: string, expected: string, actual: string, cause?: unknown): never {
    throw new ContractViolation({
      caseName: this.#caseName,
      check,
      expected,
      actual,
      ...(cause === undefined ? {} : { cause }),
    });
  }

  /** `actual` deep-equals `expected`. */
  equal(check: string, actual: unknown, expected: unknown): void {
    if (!sameValue(actual, expected)) {
      this.fail(check, describeValue(expected), describeValue(actual));
    }
  }

  /** `actual` is an object with at least the fields of `shape`. */
  matches(check: string, actual: unknown, shape: Readonly<Record<string, unknown>>): void {
    if (!hasShape(actual, shape)) {
      this.fail(check, `at least ${describeValue(shape)}`, describeValue(actual));
    }
  }

  /** `condition` holds; `expected` says what it means, `actual` what was seen instead. */
  holds(check: string, condition: boolean, expected: string, actual: unknown): void {
    if (!condition) this.fail(check, expected, describeValue(actual));
  }

  /** `promise` rejects with a SmartCardError of `code`. */
  async rejects(check: string, promise: Promise<unknown>, code: string): Promise<void> {
    const outcome = await outcomeCode(promise);
    if (outcome !== code) this.fail(check, code, outcome);
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function definedKeys(value: Record<string, unknown>): string[] {
  return Object.keys(value).filter((key) => value[key] !== undefined);
}
