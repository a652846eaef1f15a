/**
 * Which WebCrypto the SDK uses: an injected one, else `globalThis.crypto`, else
 * `@peculiar/webcrypto` (Node-like runtimes without a global WebCrypto only).
 *
 * @module
 */
import { UnsupportedEnvironmentError } from './errors.js';

/**
 * Options accepted by every SDK call that needs cryptography.
 *
 * @example
 * ```ts
 * import { webcrypto } from 'node:crypto';
 * import { type CryptoOptions, PinState } from 'smartcard-2fa';
 * import { PhysicalSmartCard } from 'smartcard-2fa/card';
 *
 * // One WebCrypto for every SDK call, as a runtime without a global one needs.
 * const options: CryptoOptions = { crypto: webcrypto as Crypto };
 * const state = await PinState.create(options);
 * const card = await PhysicalSmartCard.create({ ...options, serial: 'CARD-0001' });
 * console.log((await state.status()).isDefault, (await card.info()).serial);
 * ```
 *
 * @category Runtime
 */
export interface CryptoOptions {
  /**
   * The WebCrypto implementation to use instead of the runtime's. Useful in tests, in runtimes
   * without a global WebCrypto, or to route operations through a hardware-backed provider.
   */
  crypto?: WebCrypto;
}

/**
 * The type of the runtime's WebCrypto object, as the runtime's own typings declare it: `Crypto`
 * from TypeScript's DOM library in browsers, `webcrypto.Crypto` from `@types/node` in Node. The
 * SDK's public types name it rather than the DOM's `Crypto`, so that a Node project compiles
 * them without the DOM library (`lib: ["es2022"]`, `types: ["node"]`).
 *
 * @example
 * ```ts
 * import { getCrypto, type WebCrypto } from 'smartcard-2fa';
 *
 * const crypto: WebCrypto = await getCrypto();
 * const nonce = crypto.getRandomValues(new Uint8Array(16));
 * ```
 *
 * @category Runtime
 */
export type WebCrypto = typeof globalThis.crypto;

/**
 * A WebCrypto key, as {@link WebCrypto}'s typings declare it (the DOM's or node:crypto's
 * `CryptoKey`).
 *
 * @example
 * ```ts
 * import { getCrypto, type WebCryptoKey } from 'smartcard-2fa';
 *
 * const crypto = await getCrypto();
 * const key: WebCryptoKey = await crypto.subtle.importKey(
 *   'raw',
 *   crypto.getRandomValues(new Uint8Array(32)),
 *   { name: 'HMAC', hash: 'SHA-256' },
 *   false,
 *   ['sign'],
 * );
 * ```
 *
 * @category Runtime
 */
export type WebCryptoKey = Awaited<ReturnType<WebCrypto['subtle']['importKey']>>;

/** The members of WebCrypto the SDK calls. */
const SUBTLE_METHODS = [
  'generateKey',
  'importKey',
  'exportKey',
  'sign',
  'verify',
  'digest',
  'deriveBits',
  'encrypt',
  'decrypt',
] as const;

const REMEDY =
  'Serve the page over https or from localhost (WebCrypto exists only in secure contexts), ' +
  'or pass a WebCrypto implementation as the `crypto` option.';

/** What `selectCrypto` looks at in the running environment; injectable for tests.
 *
 * @category Runtime
 */
export interface CryptoEnvironment {
  /** The global scope (`globalThis` unless a test passes another). */
  readonly scope: { crypto?: unknown; isSecureContext?: unknown; document?: unknown };
  /** Loads the fallback implementation; rejects when it cannot be loaded. */
  readonly loadFallback: () => Promise<Crypto>;
}

/**
 * Returns a WebCrypto that can generate keys, sign, verify and derive bits, or throws
 * {@link UnsupportedEnvironmentError} with a message saying what to do.
 *
 * Resolution order: `options.crypto`, then `globalThis.crypto`, then `@peculiar/webcrypto`
 * (loaded on demand, and only outside browsers: it is built on `node:crypto`).
 *
 * @example
 * ```ts
 * import { getCrypto } from 'smartcard-2fa';
 *
 * const crypto = await getCrypto();
 * const salt = crypto.getRandomValues(new Uint8Array(16));
 * ```
 *
 * @category Runtime
 */
export function getCrypto(options: CryptoOptions = {}): Promise<WebCrypto> {
  return selectCrypto(options, defaultEnvironment);
}

/**
 * The resolution behind {@link getCrypto}, with the environment passed in.
 *
 * @internal
 */
export async function selectCrypto(
  options: CryptoOptions,
  env: CryptoEnvironment,
): Promise<Crypto> {
  if (options.crypto !== undefined) {
    const missing = missingMembers(options.crypto);
    if (missing.length > 0) {
      throw new UnsupportedEnvironmentError(
        `The WebCrypto passed as the \`crypto\` option lacks ${missing.join(', ')}. ` +
          'Pass a complete WebCrypto implementation (globalThis.crypto, node:crypto webcrypto, ' +
          'or @peculiar/webcrypto).',
      );
    }
    return options.crypto;
  }
  const global = env.scope.crypto;
  if (global !== undefined && missingMembers(global).length === 0) return global as Crypto;

  const inBrowser = env.scope.document !== undefined || env.scope.isSecureContext !== undefined;
  if (inBrowser) {
    const why =
      env.scope.isSecureContext === false
        ? 'This page is not a secure context, so the browser hides WebCrypto key generation.'
        : 'This browser does not support the generation of keys and certificate requests.';
    throw new UnsupportedEnvironmentError(`${why} ${REMEDY}`);
  }
  let fallback: Crypto;
  try {
    fallback = await env.loadFallback();
  } catch (cause) {
    throw new UnsupportedEnvironmentError(
      `No WebCrypto is available in this runtime and @peculiar/webcrypto could not be loaded. ${REMEDY}`,
      { cause },
    );
  }
  const missing = missingMembers(fallback);
  if (missing.length > 0) {
    throw new UnsupportedEnvironmentError(
      `The fallback WebCrypto lacks ${missing.join(', ')}. ${REMEDY}`,
    );
  }
  return fallback;
}

function missingMembers(candidate: unknown): string[] {
  if (typeof candidate !== 'object' || candidate === null) return ['subtle', 'getRandomValues'];
  const fields = candidate as { subtle?: unknown; getRandomValues?: unknown };
  const missing: string[] = [];
  if (typeof fields.getRandomValues !== 'function') missing.push('getRandomValues');
  if (typeof fields.subtle !== 'object' || fields.subtle === null) {
    missing.push('subtle');
    return missing;
  }
  const subtle = fields.subtle as Record<string, unknown>;
  for (const name of SUBTLE_METHODS) {
    if (typeof subtle[name] !== 'function') missing.push(`subtle.${name}`);
  }
  return missing;
}

let fallbackInstance: Promise<Crypto> | undefined;

/**
 * Held in a variable so that bundlers leave the import alone: the fallback is built on
 * `node:crypto`, and browser bundles must not pull `node:` modules. Browsers never reach it.
 */
const FALLBACK_MODULE = '@peculiar/webcrypto';

const defaultEnvironment: CryptoEnvironment = {
  scope: globalThis as CryptoEnvironment['scope'],
  loadFallback: () => {
    fallbackInstance ??= (
      import(/* @vite-ignore */ FALLBACK_MODULE) as Promise<{ Crypto: new () => Crypto }>
    ).then((module) => new module.Crypto());
    // A failed load is not cached, so a later call can try again.
    fallbackInstance.catch(() => {
      fallbackInstance = undefined;
    });
    return fallbackInstance;
  },
};
