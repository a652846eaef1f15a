import { describe, expect, it } from 'vitest';
import { PinState, type PinStateRecord } from '../../src/index.js';
import { toBase64, utf8 } from '../../src/lib/bytes.js';
import { canonicalJson } from '../../src/lib/canonical-json.js';
import { codeOf } from '../support/errors.js';
import { GOOD_PIN, newState, OTHER_PIN, PUK } from './helpers.js';

type Mutable = Record<string, unknown> & { integrity: { algorithm: string; tag: string } };

/** Edits a record and gives it a correct keyless digest again, as an attacker without a key could. */
async function forge(record: PinStateRecord, edit: (r: Mutable) => void): Promise<Mutable> {
  const copy = structuredClone(record) as unknown as Mutable;
  edit(copy);
  const { integrity: _, ...body } = copy;
  const digest = await crypto.subtle.digest('SHA-256', utf8(canonicalJson(body)));
  copy.integrity = { algorithm: 'SHA-256', tag: toBase64(new Uint8Array(digest)) };
  return copy;
}

async function usedCard() {
  const state = await newState({ pin: GOOD_PIN, unblock: { kind: 'puk', value: PUK } });
  await state.verify(OTHER_PIN);
  return state;
}

describe('PinState records', () => {
  it('round-trip as an object and as JSON text, keeping status and behaviour', async () => {
    const state = await usedCard();
    const record = await state.toRecord();
    for (const saved of [record, JSON.parse(JSON.stringify(record)), JSON.stringify(record)]) {
      const restored = await PinState.restore(saved);
      expect(restored.status()).toEqual(state.status());
      expect(await restored.toRecord()).toEqual(record);
      expect(await restored.verify(OTHER_PIN)).toEqual({
        status: 'incorrect',
        attemptsRemaining: 3,
      });
      expect(await restored.verify(GOOD_PIN)).toMatchObject({ status: 'verified' });
    }
  });

  it('are refused when truncated anywhere', async () => {
    const text = JSON.stringify(await (await usedCard()).toRecord());
    for (let cut = 0; cut < text.length; cut += 7) {
      expect(await codeOf(PinState.restore(text.slice(0, cut)))).toBe('ERR_STATE_CORRUPT');
    }
  });

  it.each<[string, (r: Mutable) => void]>([
    [
      'more attempts',
      (r) => {
        r.attemptsRemaining = 5;
      },
    ],
    [
      'must-change cleared',
      (r) => {
        r.mustChange = false;
      },
    ],
    [
      'a laxer policy',
      (r) => {
        (r.policy as Record<string, unknown>).maxAttempts = 99;
      },
    ],
    [
      'an extra field',
      (r) => {
        r.note = 'hello';
      },
    ],
    [
      'a missing field',
      (r) => {
        delete r.isDefault;
      },
    ],
    [
      'fewer iterations',
      (r) => {
        (r.kdf as Record<string, unknown>).iterations = 2;
      },
    ],
  ])('are refused when edited without fixing the tag: %s', async (_, edit) => {
    const record = structuredClone(await (await usedCard()).toRecord()) as unknown as Mutable;
    edit(record);
    expect(await codeOf(PinState.restore(record))).toBe('ERR_STATE_CORRUPT');
  });

  it.each<[string, (r: Mutable) => void]>([
    [
      'attempts above the policy',
      (r) => {
        r.attemptsRemaining = 6;
      },
    ],
    [
      'negative attempts',
      (r) => {
        r.attemptsRemaining = -1;
      },
    ],
    [
      'fractional attempts',
      (r) => {
        r.attemptsRemaining = 1.5;
      },
    ],
    [
      'unblock attempts above the policy',
      (r) => {
        ((r.unblock as unknown[])[0] as Record<string, unknown>).attemptsRemaining = 4;
      },
    ],
    [
      'an unknown credential kind',
      (r) => {
        ((r.unblock as unknown[])[0] as Record<string, unknown>).kind = 'password';
      },
    ],
    [
      'zero iterations',
      (r) => {
        (r.kdf as Record<string, unknown>).iterations = 0;
      },
    ],
    [
      'a huge iteration count',
      (r) => {
        (r.kdf as Record<string, unknown>).iterations = 1e12;
      },
    ],
    [
      'another kdf',
      (r) => {
        (r.kdf as Record<string, unknown>).algorithm = 'MD5';
      },
    ],
    [
      'a short salt',
      (r) => {
        (r.pin as Record<string, unknown>).salt = 'AAAA';
      },
    ],
    [
      'a hash that is not base64',
      (r) => {
        (r.pin as Record<string, unknown>).hash = '!'.repeat(44);
      },
    ],
    [
      'a string boolean',
      (r) => {
        r.mustChange = 'false';
      },
    ],
    [
      'an invalid policy',
      (r) => {
        (r.policy as Record<string, unknown>).minLength = 0;
      },
    ],
    [
      'an unknown policy rule',
      (r) => {
        (r.policy as Record<string, unknown>).allowEverything = true;
      },
    ],
    [
      'a newer version',
      (r) => {
        r.version = 2;
      },
    ],
    [
      'another format',
      (r) => {
        r.format = 'something-else';
      },
    ],
    [
      'pin missing',
      (r) => {
        r.pin = null;
      },
    ],
  ])('are refused when values are out of range, even with a valid digest: %s', async (_, edit) => {
    const record = await forge(await (await usedCard()).toRecord(), edit);
    expect(await codeOf(PinState.restore(record))).toBe('ERR_STATE_CORRUPT');
  });

  it.each<[string, (r: Mutable) => void]>([
    [
      'unblock not a list',
      (r) => {
        r.unblock = { kind: 'puk' };
      },
    ],
    [
      'the same kind twice',
      (r) => {
        r.unblock = [(r.unblock as unknown[])[0], (r.unblock as unknown[])[0]];
      },
    ],
    [
      'three credentials',
      (r) => {
        const one = (r.unblock as unknown[])[0];
        r.unblock = [one, one, one];
      },
    ],
  ])('refuse a malformed credential list, even with a valid digest: %s', async (_, edit) => {
    const record = await forge(await (await usedCard()).toRecord(), edit);
    expect(await codeOf(PinState.restore(record))).toBe('ERR_STATE_CORRUPT');
  });

  it('refuse what is not a record at all', async () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    const values = [null, undefined, 42, [], 'garbage', '{}', '[]', { format: 1 }, cycle, 10n];
    for (const value of [...values, { format: 'smartcard-2fa/pin-state', big: 1n }]) {
      expect(await codeOf(PinState.restore(value))).toBe('ERR_STATE_CORRUPT');
    }
  });

  it('without a key, detect corruption but not a recomputed digest (documented limit)', async () => {
    const record = await forge(await (await usedCard()).toRecord(), (r) => {
      r.attemptsRemaining = 5;
    });
    const restored = await PinState.restore(record);
    expect(restored.status().attemptsRemaining).toBe(5);
  });
});

describe('keyed records (HMAC-SHA-256)', () => {
  const key = crypto.getRandomValues(new Uint8Array(32));

  async function keyedCard() {
    const state = await newState({ pin: GOOD_PIN, integrityKey: key });
    await state.verify(OTHER_PIN);
    return state;
  }

  it('round-trip with the same key, given as bytes or as a CryptoKey', async () => {
    const record = await (await keyedCard()).toRecord();
    expect(record.integrity.algorithm).toBe('HMAC-SHA-256');
    const restored = await PinState.restore(record, { integrityKey: key });
    expect(restored.status().attemptsRemaining).toBe(4);
    const cryptoKey = await crypto.subtle.importKey(
      'raw',
      key,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    );
    expect((await PinState.restore(record, { integrityKey: cryptoKey })).status()).toEqual(
      restored.status(),
    );
  });

  it('refuse a forged record whose keyless digest was recomputed (no downgrade)', async () => {
    const forged = await forge(await (await keyedCard()).toRecord(), (r) => {
      r.attemptsRemaining = 5;
    });
    expect(await codeOf(PinState.restore(forged, { integrityKey: key }))).toBe('ERR_STATE_CORRUPT');
  });

  it('refuse another key, and no key', async () => {
    const record = await (await keyedCard()).toRecord();
    const other = crypto.getRandomValues(new Uint8Array(32));
    expect(await codeOf(PinState.restore(record, { integrityKey: other }))).toBe(
      'ERR_STATE_CORRUPT',
    );
    expect(await codeOf(PinState.restore(record))).toBe('ERR_STATE_CORRUPT');
  });

  it('refuse an integrity key that is not an HMAC-SHA-256 signing key', async () => {
    const aes = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 128 }, false, [
      'encrypt',
    ]);
    const sha512 = await crypto.subtle.generateKey({ name: 'HMAC', hash: 'SHA-512' }, false, [
      'sign',
    ]);
    const verifyOnly = await crypto.subtle.importKey(
      'raw',
      key,
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['verify'],
    );
    for (const wrong of [aes, sha512, verifyOnly]) {
      expect(await codeOf(newState({ integrityKey: wrong }))).toBe('ERR_INVALID_INPUT');
    }
  });
});
