import { webcrypto } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type CryptoEnvironment, selectCrypto } from '../src/crypto.js';
import { getCrypto, SmartCardError } from '../src/index.js';
import { codeOf } from './support/errors.js';

const nodeCrypto = webcrypto as unknown as Crypto;
const noFallback = (): Promise<Crypto> => Promise.reject(new Error('not loadable'));

function env(scope: CryptoEnvironment['scope'], loadFallback = noFallback): CryptoEnvironment {
  return { scope, loadFallback };
}

describe('getCrypto', () => {
  it('returns the injected implementation first', async () => {
    const injected = new (await import('@peculiar/webcrypto')).Crypto() as Crypto;
    expect(await getCrypto({ crypto: injected })).toBe(injected);
  });

  it('uses globalThis.crypto when nothing is injected', async () => {
    expect(await getCrypto()).toBe(globalThis.crypto);
  });

  describe('in a runtime without a global WebCrypto', () => {
    afterEach(() => {
      vi.unstubAllGlobals();
    });

    it('loads @peculiar/webcrypto itself, once', async () => {
      vi.stubGlobal('crypto', undefined);
      const first = await getCrypto();
      expect(first).toBeDefined();
      expect(first).not.toBe(nodeCrypto);
      expect(first.constructor.name).toBe('Crypto');
      expect(await getCrypto()).toBe(first);
      const digest = await first.subtle.digest('SHA-256', new Uint8Array([97, 98, 99]));
      expect(Buffer.from(digest).toString('hex')).toBe(
        'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      );
    });
  });

  it('refuses an injected object that cannot generate keys, whatever the global has', async () => {
    const broken = { getRandomValues: () => undefined, subtle: {} } as unknown as Crypto;
    expect(await codeOf(getCrypto({ crypto: broken }))).toBe('ERR_UNSUPPORTED_ENVIRONMENT');
  });
});

describe('selectCrypto', () => {
  it('falls back to @peculiar/webcrypto outside browsers, and it really works', async () => {
    const loaded = await selectCrypto(
      {},
      env({}, async () => new (await import('@peculiar/webcrypto')).Crypto() as Crypto),
    );
    expect(loaded).not.toBe(globalThis.crypto);
    const pair = await loaded.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, false, [
      'sign',
      'verify',
    ]);
    const data = new Uint8Array([1, 2, 3]);
    const signature = await loaded.subtle.sign(
      { name: 'ECDSA', hash: 'SHA-256' },
      pair.privateKey,
      data,
    );
    expect(
      await loaded.subtle.verify(
        { name: 'ECDSA', hash: 'SHA-256' },
        pair.publicKey,
        signature,
        data,
      ),
    ).toBe(true);
  });

  it('in an insecure browser context, says to use https or localhost or inject crypto', async () => {
    const insecure = { isSecureContext: false, document: {}, crypto: { getRandomValues() {} } };
    let error: unknown;
    try {
      await selectCrypto({}, env(insecure));
    } catch (e) {
      error = e;
    }
    expect(SmartCardError.is(error, 'ERR_UNSUPPORTED_ENVIRONMENT')).toBe(true);
    const message = (error as Error).message;
    expect(message).toMatch(/https/);
    expect(message).toMatch(/localhost/);
    expect(message).toMatch(/`crypto` option/);
  });

  it('never loads the Node fallback in a browser', async () => {
    let loaded = false;
    const load = async () => {
      loaded = true;
      return nodeCrypto;
    };
    const code = await codeOf(selectCrypto({}, env({ document: {} }, load)));
    expect(code).toBe('ERR_UNSUPPORTED_ENVIRONMENT');
    expect(loaded).toBe(false);
  });

  it('wraps a fallback that cannot be loaded, keeping the cause', async () => {
    let error: unknown;
    try {
      await selectCrypto({}, env({}));
    } catch (e) {
      error = e;
    }
    expect(SmartCardError.is(error, 'ERR_UNSUPPORTED_ENVIRONMENT')).toBe(true);
    expect((error as Error).cause).toBeInstanceOf(Error);
  });

  it('uses a complete global crypto as is', async () => {
    expect(await selectCrypto({}, env({ crypto: nodeCrypto }))).toBe(nodeCrypto);
  });

  it('skips an incomplete global crypto outside browsers and falls back', async () => {
    const half = { getRandomValues() {}, subtle: { digest() {} } };
    expect(
      await selectCrypto(
        {},
        env({ crypto: half }, async () => nodeCrypto),
      ),
    ).toBe(nodeCrypto);
  });
});
