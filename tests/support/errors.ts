import { SmartCardError } from '../../src/errors.js';

/** What a caught value says: its code when it is a SmartCardError, else a description. */
function described(error: unknown): string {
  return SmartCardError.is(error) ? error.code : `not a SmartCardError: ${String(error)}`;
}

/**
 * The code of the SmartCardError `promise` rejects with; `no error` when it resolves, and
 * `not a SmartCardError: …` when it rejects with anything else.
 */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    return described(error);
  }
  return 'no error';
}

/** {@link codeOf} for a synchronous call: the code of the SmartCardError `run` throws. */
export function codeOfSync(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return described(error);
  }
  return 'no error';
}
