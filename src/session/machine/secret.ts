import { InvalidInputError } from '../../errors.js';

/** The values of live secrets. Module-private: nothing outside this file can read a secret. */
const VALUES = new WeakMap<Secret, string>();

const REDACTED = '[Secret]';

/**
 * A PIN, PUK or password on its way from the user to the card or the server, without ever being
 * readable from the sign-in machine's events, context, snapshots or inspection events.
 *
 * Events carry a `Secret`, never the string: the value sits outside the object, reachable only by
 * the SDK's own card and server steps, and printing, serialising or cloning the object shows
 * nothing. A secret is read once: the step that uses it erases it.
 *
 * @example
 * ```ts
 * import { Secret } from 'smartcard-2fa/session';
 *
 * const pin = Secret.from('k7#Lm2pQ');
 * String(pin); // '[Secret]'
 * JSON.stringify({ pin }); // '{"pin":"[Secret]"}'
 * ```
 *
 * @category Client
 */
export class Secret {
  private constructor() {
    Object.freeze(this);
  }

  /**
   * Wraps a value typed by the user.
   *
   * @throws `InvalidInputError` if `value` is not a string.
   */
  static from(value: string): Secret {
    if (typeof value !== 'string') {
      throw new InvalidInputError('Secret.from takes the string the user typed.');
    }
    const secret = new Secret();
    VALUES.set(secret, value);
    return secret;
  }

  /** Whether `value` is a secret made by {@link Secret.from} that has not been read yet. */
  static is(value: unknown): value is Secret {
    return value instanceof Secret && VALUES.has(value);
  }

  /** Always `'[Secret]'`. */
  toString(): string {
    return REDACTED;
  }

  /** Always `'[Secret]'`, so `JSON.stringify` shows nothing. */
  toJSON(): string {
    return REDACTED;
  }

  /** Always `'[Secret]'`, for Node's `util.inspect` and `console.log`. */
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}

/**
 * Reads and erases a secret: the second read of the same secret fails, so a replayed event cannot
 * spend another PIN attempt. Internal to the SDK; not exported from the package.
 *
 * @category Client
 */
export function takeSecret(secret: unknown, what: string): string {
  if (!(secret instanceof Secret)) {
    throw new InvalidInputError(`${what} must be a Secret (Secret.from(value)), not a string.`);
  }
  const value = VALUES.get(secret);
  if (value === undefined) {
    throw new InvalidInputError(`${what} was already used; wrap the value again with Secret.from.`);
  }
  VALUES.delete(secret);
  return value;
}
