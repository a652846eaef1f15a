/**
 * The transport of `CertsrvClient`: one `fetch` with a timeout, the caller's abort signal, and a
 * bounded body. Internal; browser-safe (no `node:` imports).
 */
import { CaUnavailableError } from '../../errors.js';
import { concatBytes } from '../../lib/bytes.js';

/** The largest answer read from a CA: certsrv's pages and certificates are a few kilobytes.
 *
 * @category Enrollment
 */
export const MAX_ANSWER_BYTES = 1024 * 1024;

/** What an exchange returns: the status and the body as text.
 *
 * @category Enrollment
 */
export interface Answer {
  readonly status: number;
  readonly text: string;
}

/** How to send one request.
 *
 * @category Enrollment
 */
export interface Exchange {
  readonly fetch: typeof fetch;
  readonly url: string;
  readonly init: RequestInit;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
}

/**
 * Sends the request and reads the whole answer, at most {@link MAX_ANSWER_BYTES}. Rejects with
 * the caller's `signal.reason` when the signal aborts (as `fetch` does), and with a
 * {@link CaUnavailableError} on a network failure, a timeout or an oversized answer. HTTP error
 * statuses are returned, not thrown: the caller decides.
 *
 * @category Enrollment
 */
export async function exchange(request: Exchange): Promise<Answer> {
  const { signal } = request;
  if (signal?.aborted) throw signal.reason;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, request.timeoutMs);
  const onAbort = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const response = await request.fetch(request.url, {
      ...request.init,
      signal: controller.signal,
    });
    const declared = Number(response.headers.get('content-length') ?? Number.NaN);
    if (declared > MAX_ANSWER_BYTES) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    const body = await readBounded(response);
    return { status: response.status, text: new TextDecoder().decode(body) };
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    if (error instanceof CaUnavailableError) throw error;
    if (timedOut) {
      throw new CaUnavailableError(`The CA did not answer within ${request.timeoutMs} ms.`, {
        cause: error,
      });
    }
    throw new CaUnavailableError('The CA could not be reached.', { cause: error });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Reads the body, cancelling the stream as soon as it passes the bound. */
async function readBounded(response: Response): Promise<Uint8Array> {
  const stream = response.body;
  if (stream === null) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > MAX_ANSWER_BYTES) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return concatBytes(...chunks);
}

function tooLarge(): CaUnavailableError {
  return new CaUnavailableError(`The CA's answer is larger than ${MAX_ANSWER_BYTES} bytes.`);
}
