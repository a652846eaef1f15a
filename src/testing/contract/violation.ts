/**
 * What a failed case of the SmartCard contract throws: which case, what it checked, what was
 * expected and what the card did instead.
 */

/**
 * How a value reads in a {@link ContractViolation}: JSON-like, with byte arrays shown by their
 * length (never their contents: they may be keys or certificates) and errors by their code or
 * name and message.
 */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`;
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    return typeof code === 'string'
      ? `${code} (${value.message})`
      : `${value.name}: ${value.message}`;
  }
  if (Array.isArray(value)) return `[${value.map(describeValue).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const fields = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .map(([key, field]) => `${key}: ${describeValue(field)}`);
    return fields.length === 0 ? '{}' : `{ ${fields.join(', ')} }`;
  }
  if (typeof value === 'string') return JSON.stringify(value);
  return String(value);
}

/**
 * The error a case of {@link smartCardContract} throws when the card breaks the contract. Its
 * message names the case, the check, what was expected and what happened; the same are fields,
 * for reporters. An error the card threw where none was expected is the `cause`.
 *
 * @example
 * ```ts
 * import { ContractViolation, createTestCard, smartCardContract } from 'smartcard-2fa/testing';
 *
 * const cases = smartCardContract({
 *   makeCard: async () => createTestCard({ kind: 'physical', pin: 'k7#Lm2pQ' }),
 *   maxAttempts: 5,
 * });
 * try {
 *   await cases[0]?.run();
 * } catch (error) {
 *   if (error instanceof ContractViolation) console.log(error.caseName, error.expected, error.actual);
 * }
 * ```
 *
 * @category Testing
 */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
  /** The name of the case that failed, as {@link ContractCase.name}. */
  readonly caseName: string;
  /** What the case checked when it failed, e.g. `"a wrong PIN's result"`. */
  readonly check: string;
  /** What the contract expected, described. */
  readonly expected: string;
  /** What the card did instead, described. */
  readonly actual: string;

  /** @internal Thrown by the contract's cases. */
  constructor(parts: {
    caseName: string;
    check: string;
    expected: string;
    actual: string;
    cause?: unknown;
    /** Whose contract: `'SmartCard'` (the default) or `'ChallengeStore'`. */
    contract?: string;
  }) {
    super(
      `${parts.contract ?? 'SmartCard'} contract, case "${parts.caseName}": ${parts.check}: expected ${parts.expected}, got ${parts.actual}.`,
      parts.cause === undefined ? undefined : { cause: parts.cause },
    );
    this.caseName = parts.caseName;
    this.check = parts.check;
    this.expected = parts.expected;
    this.actual = parts.actual;
  }
}
