import { createPublicKey, type KeyObject, verify } from 'node:crypto';
import type * as Pkcs11 from 'pkcs11js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  clearTpmLockout,
  pkcs11js,
  type TestToken,
  type TokenKind,
  tokenSupport,
  tpmLockoutCounter,
  useTestToken,
} from './support/tokens.js';

/**
 * The real tokens the PKCS#11 SmartCard will run on, driven through the pkcs11js binding: what
 * they do and what they report (the token flags, the CKR codes) is what the SmartCard mapping
 * is built on. SoftHSM2 never locks its PIN; the TPM token has the TPM's real
 * dictionary-attack lockout, which the test clears itself.
 */

const NEW_PIN = '24681357';
const WRONG_PIN = '00000000';
const data = new TextEncoder().encode('the server challenge');
/** CK_SLOT_INFO's removable flag: pkcs11js exports it at run time, its typings leave it out. */
const CKF_REMOVABLE_DEVICE = 0x2;

type PinFlag = 'COUNT_LOW' | 'FINAL_TRY' | 'LOCKED' | 'TO_BE_CHANGED';

interface Opened {
  readonly pk: typeof Pkcs11;
  readonly lib: Pkcs11.PKCS11;
  readonly slot: Buffer;
}

/** Loads the module with the token's environment and finds the token by its label. */
function open(token: TestToken): Opened {
  Object.assign(process.env, token.env); // the module reads it in C_Initialize
  const pk = pkcs11js();
  const lib = new pk.PKCS11();
  lib.load(token.module);
  lib.C_Initialize();
  const slot = lib
    .C_GetSlotList(true)
    .find((s) => lib.C_GetTokenInfo(s).label.trim() === token.label);
  if (slot === undefined) throw new Error(`no token labelled ${token.label}`);
  return { pk, lib, slot };
}

/** The user-PIN flags the token sets now. */
function pinFlags({ pk, lib, slot }: Opened): PinFlag[] {
  const { flags } = lib.C_GetTokenInfo(slot);
  const all: [PinFlag, number][] = [
    ['COUNT_LOW', pk.CKF_USER_PIN_COUNT_LOW],
    ['FINAL_TRY', pk.CKF_USER_PIN_FINAL_TRY],
    ['LOCKED', pk.CKF_USER_PIN_LOCKED],
    ['TO_BE_CHANGED', pk.CKF_USER_PIN_TO_BE_CHANGED],
  ];
  return all.filter(([, bit]) => (flags & bit) !== 0).map(([name]) => name);
}

/** Runs `call`: `CKR_OK`, or the name of the CKR code it failed with (other errors throw). */
function ckr(call: () => unknown): string {
  try {
    call();
    return 'CKR_OK';
  } catch (error) {
    if (error instanceof Error && /^CKR_\w+$/.test(error.message)) return error.message;
    throw error;
  }
}

/** Runs `body` in a new read-write session, then logs out (when logged in) and closes it. */
function inSession<T>(o: Opened, body: (session: Buffer) => T): T {
  const session = o.lib.C_OpenSession(o.slot, o.pk.CKF_SERIAL_SESSION | o.pk.CKF_RW_SESSION);
  try {
    return body(session);
  } finally {
    ckr(() => o.lib.C_Logout(session));
    o.lib.C_CloseSession(session);
  }
}

function login(o: Opened, session: Buffer, pin: string, user: 'user' | 'so' = 'user'): string {
  return ckr(() => o.lib.C_Login(session, user === 'user' ? o.pk.CKU_USER : o.pk.CKU_SO, pin));
}

function findKey(o: Opened, session: Buffer, cls: number, id: Buffer): Buffer[] {
  o.lib.C_FindObjectsInit(session, [
    { type: o.pk.CKA_CLASS, value: cls },
    { type: o.pk.CKA_ID, value: id },
  ]);
  try {
    return o.lib.C_FindObjects(session, 10);
  } finally {
    o.lib.C_FindObjectsFinal(session);
  }
}

function attribute(o: Opened, session: Buffer, object: Buffer, type: number): Buffer {
  const [attr] = o.lib.C_GetAttributeValue(session, object, [{ type }]);
  if (!(attr?.value instanceof Buffer)) throw new Error(`attribute ${type} has no bytes`);
  return attr.value;
}

function bool(o: Opened, session: Buffer, object: Buffer, type: number): boolean {
  return attribute(o, session, object, type)[0] === 1;
}

interface GeneratedKey {
  readonly publicKey: KeyObject;
  readonly privateKey: Buffer;
  readonly id: Buffer;
}

/** Generates an RSA-2048 key pair on the token (sensitive, never extractable). */
function generateRsa(o: Opened, session: Buffer, name: string): GeneratedKey {
  const { pk, lib } = o;
  const id = Buffer.from(name);
  const common = [
    { type: pk.CKA_TOKEN, value: true },
    { type: pk.CKA_KEY_TYPE, value: pk.CKK_RSA },
    { type: pk.CKA_ID, value: id },
    { type: pk.CKA_LABEL, value: name },
  ];
  const keys = lib.C_GenerateKeyPair(
    session,
    { mechanism: pk.CKM_RSA_PKCS_KEY_PAIR_GEN },
    [
      ...common,
      { type: pk.CKA_CLASS, value: pk.CKO_PUBLIC_KEY },
      { type: pk.CKA_MODULUS_BITS, value: 2048 },
      { type: pk.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
      { type: pk.CKA_VERIFY, value: true },
      { type: pk.CKA_ENCRYPT, value: true },
    ],
    [
      ...common,
      { type: pk.CKA_CLASS, value: pk.CKO_PRIVATE_KEY },
      { type: pk.CKA_PRIVATE, value: true },
      { type: pk.CKA_SENSITIVE, value: true },
      { type: pk.CKA_EXTRACTABLE, value: false },
      { type: pk.CKA_SIGN, value: true },
      { type: pk.CKA_DECRYPT, value: true },
    ],
  );
  const n = attribute(o, session, keys.publicKey, pk.CKA_MODULUS);
  const e = attribute(o, session, keys.publicKey, pk.CKA_PUBLIC_EXPONENT);
  const publicKey = createPublicKey({
    key: { kty: 'RSA', n: n.toString('base64url'), e: e.toString('base64url') },
    format: 'jwk',
  });
  return { publicKey, privateKey: keys.privateKey, id };
}

function sign(o: Opened, session: Buffer, key: Buffer, mechanism: number): Buffer {
  o.lib.C_SignInit(session, { mechanism }, key);
  return o.lib.C_Sign(session, Buffer.from(data), Buffer.alloc(512));
}

/** What each token is expected to do differently; the rest of the suite is the same for both. */
interface Expected {
  /** The slot's CKF_REMOVABLE_DEVICE: physical (SoftHSM2 configured so) or not (the TPM). */
  readonly removable: boolean;
  /** The user-PIN flags after one wrong PIN. */
  readonly flagsAfterWrongPin: PinFlag[];
  /** How C_WaitForSlotEvent(CKF_DONT_BLOCK) fails: a CKR code, or `null` when it answers. */
  readonly waitForSlotEvent: string | null;
  /** What reading the private key's CKA_PRIVATE_EXPONENT answers. */
  readonly privateExponent: string;
  /** The token's serial number: unique on SoftHSM2, all zeros on every tpm2-pkcs11 token. */
  readonly serial: RegExp;
}

const EXPECTED: Record<TokenKind, Expected> = {
  softhsm: {
    removable: true,
    flagsAfterWrongPin: ['COUNT_LOW'],
    waitForSlotEvent: null,
    privateExponent: 'CKR_ATTRIBUTE_SENSITIVE',
    serial: /^(?!0{16})[0-9a-f]{16}$/,
  },
  tpm: {
    removable: false,
    flagsAfterWrongPin: [],
    waitForSlotEvent: 'CKR_FUNCTION_NOT_SUPPORTED',
    privateExponent: 'CKR_ATTRIBUTE_TYPE_INVALID', // the TPM token has no such attribute at all
    serial: /^0{16}$/,
  },
};

function describeToken(
  kind: TokenKind,
  name: string,
  extra: (o: () => Opened, token: () => TestToken) => void,
) {
  const support = tokenSupport(kind);
  describe.skipIf(!support.available)(`${name} through pkcs11js`, () => {
    const token = useTestToken(kind);
    let opened: Opened | undefined;
    const o = () => {
      if (opened === undefined) throw new Error('the module is not open');
      return opened;
    };
    beforeAll(() => {
      opened = open(token());
    });
    afterAll(() => {
      if (opened === undefined) return;
      opened.lib.C_Finalize();
      opened.lib.close();
    });
    // The TPM counts every wrong PIN, a right one in between or not: start each test from zero.
    if (kind === 'tpm') beforeEach(() => clearTpmLockout(token()));
    const expected = EXPECTED[kind];

    it('is found by its label, and tells what kind of slot it is in', () => {
      const { pk, lib, slot } = o();
      const info = lib.C_GetTokenInfo(slot);
      expect(info.label.trim()).toBe(token().label);
      expect(info.serialNumber.trim()).toMatch(expected.serial);
      expect(info.flags & pk.CKF_TOKEN_INITIALIZED).not.toBe(0);
      expect(info.flags & pk.CKF_USER_PIN_INITIALIZED).not.toBe(0);
      expect(pinFlags(o())).toEqual([]);
      const slotInfo = lib.C_GetSlotInfo(slot);
      expect((slotInfo.flags & CKF_REMOVABLE_DEVICE) !== 0).toBe(expected.removable);
      let event: string | null = null;
      try {
        lib.C_WaitForSlotEvent(pk.CKF_DONT_BLOCK);
      } catch (error) {
        event = error instanceof Error ? error.message : String(error);
      }
      expect(event).toBe(expected.waitForSlotEvent);
    });

    it('logs in with the PIN; a wrong PIN is CKR_PIN_INCORRECT', () => {
      inSession(o(), (session) => {
        expect(login(o(), session, WRONG_PIN)).toBe('CKR_PIN_INCORRECT');
        expect(pinFlags(o())).toEqual(expected.flagsAfterWrongPin);
        expect(login(o(), session, token().pin)).toBe('CKR_OK');
        expect(pinFlags(o())).toEqual([]);
      });
    });

    it('generates an RSA-2048 key pair on the token that never leaves it, and signs with it', () => {
      const { pk, lib } = o();
      inSession(o(), (session) => {
        expect(login(o(), session, token().pin)).toBe('CKR_OK');
        const key = generateRsa(o(), session, `container-${kind}`);
        expect(key.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
        // Tied together by CKA_ID: exactly one private and one public key carry it.
        expect(findKey(o(), session, pk.CKO_PRIVATE_KEY, key.id)).toHaveLength(1);
        expect(findKey(o(), session, pk.CKO_PUBLIC_KEY, key.id)).toHaveLength(1);
        expect(attribute(o(), session, key.privateKey, pk.CKA_LABEL).toString()).toBe(
          `container-${kind}`,
        );
        expect(bool(o(), session, key.privateKey, pk.CKA_SENSITIVE)).toBe(true);
        expect(bool(o(), session, key.privateKey, pk.CKA_EXTRACTABLE)).toBe(false);
        expect(bool(o(), session, key.privateKey, pk.CKA_NEVER_EXTRACTABLE)).toBe(true);
        expect(
          ckr(() =>
            lib.C_GetAttributeValue(session, key.privateKey, [{ type: pk.CKA_PRIVATE_EXPONENT }]),
          ),
        ).toBe(expected.privateExponent);

        const mechanisms = lib.C_GetMechanismList(o().slot);
        for (const [mechanism, hash] of [
          [pk.CKM_SHA256_RSA_PKCS, 'sha256'],
          [pk.CKM_SHA1_RSA_PKCS, 'sha1'],
        ] as const) {
          expect(mechanisms).toContain(mechanism);
          const signature = sign(o(), session, key.privateKey, mechanism);
          expect(signature).toHaveLength(256);
          expect(verify(hash, data, key.publicKey, signature)).toBe(true);
        }
      });
    });

    it('changes the PIN with C_SetPIN; the old one is then incorrect', () => {
      inSession(o(), (session) => {
        expect(login(o(), session, token().pin)).toBe('CKR_OK');
        expect(ckr(() => o().lib.C_SetPIN(session, token().pin, NEW_PIN))).toBe('CKR_OK');
        o().lib.C_Logout(session);
        expect(login(o(), session, token().pin)).toBe('CKR_PIN_INCORRECT');
        expect(login(o(), session, NEW_PIN)).toBe('CKR_OK');
        expect(pinFlags(o())).toEqual([]);
        expect(ckr(() => o().lib.C_SetPIN(session, NEW_PIN, token().pin))).toBe('CKR_OK');
      });
    });

    it('sets a new user PIN through the security officer (C_InitPIN)', () => {
      inSession(o(), (session) => {
        expect(login(o(), session, WRONG_PIN, 'so')).toBe('CKR_PIN_INCORRECT');
        expect(login(o(), session, token().soPin, 'so')).toBe('CKR_OK');
        expect(ckr(() => o().lib.C_InitPIN(session, NEW_PIN))).toBe('CKR_OK');
        o().lib.C_Logout(session);
        expect(pinFlags(o())).toEqual([]);
        expect(login(o(), session, NEW_PIN)).toBe('CKR_OK');
        expect(ckr(() => o().lib.C_SetPIN(session, NEW_PIN, token().pin))).toBe('CKR_OK');
      });
    });

    extra(o, token);
  });
}

describeToken('softhsm', 'SoftHSM2', (o, token) => {
  it('never locks the PIN: COUNT_LOW is all it says, and a right PIN clears it', () => {
    inSession(o(), (session) => {
      for (let i = 0; i < 12; i++) {
        expect(login(o(), session, WRONG_PIN)).toBe('CKR_PIN_INCORRECT');
        expect(pinFlags(o())).toEqual(['COUNT_LOW']);
      }
      expect(login(o(), session, token().pin)).toBe('CKR_OK');
      expect(pinFlags(o())).toEqual([]);
    });
  });

  it('refuses a PIN outside its length range with CKR_PIN_LEN_RANGE', () => {
    const { lib, slot } = o();
    const { minPinLen, maxPinLen } = lib.C_GetTokenInfo(slot);
    expect([minPinLen, maxPinLen]).toEqual([4, 255]);
    inSession(o(), (session) => {
      expect(login(o(), session, token().pin)).toBe('CKR_OK');
      expect(ckr(() => lib.C_SetPIN(session, token().pin, '123'))).toBe('CKR_PIN_LEN_RANGE');
      expect(ckr(() => lib.C_SetPIN(session, token().pin, '1'.repeat(256)))).toBe(
        'CKR_PIN_LEN_RANGE',
      );
    });
  });
});

describeToken('tpm', 'TPM token (swtpm + tpm2-pkcs11)', (o, token) => {
  it('counts every wrong PIN in the TPM: a right PIN in between does not reset the count', () => {
    expect(tpmLockoutCounter(token())).toBe(0);
    inSession(o(), (session) => {
      expect(login(o(), session, WRONG_PIN)).toBe('CKR_PIN_INCORRECT');
      expect(tpmLockoutCounter(token())).toBe(1);
      expect(login(o(), session, token().pin)).toBe('CKR_OK');
    });
    expect(tpmLockoutCounter(token())).toBe(1);
    // A wrong security officer PIN counts too: both are TPM authorisations.
    inSession(o(), (session) => {
      expect(login(o(), session, WRONG_PIN, 'so')).toBe('CKR_PIN_INCORRECT');
    });
    expect(tpmLockoutCounter(token())).toBe(2);
    clearTpmLockout(token());
    expect(tpmLockoutCounter(token())).toBe(0);
  });

  it('locks out after the threshold with CKR_PIN_LOCKED, no flag saying so; a TPM reset clears it', () => {
    const maxTries = token().maxTries;
    expect(maxTries).toBe(3); // swtpm's default; TPM_MAX_TRIES changes it
    inSession(o(), (session) => {
      for (let i = 0; i < (maxTries ?? 0); i++) {
        expect(login(o(), session, WRONG_PIN)).toBe('CKR_PIN_INCORRECT');
        // The token never sets COUNT_LOW, FINAL_TRY or LOCKED: attempts left are unknown to it.
        expect(pinFlags(o())).toEqual([]);
      }
      expect(login(o(), session, WRONG_PIN)).toBe('CKR_PIN_LOCKED');
      expect(login(o(), session, token().pin)).toBe('CKR_PIN_LOCKED');
      // The lockout is the whole TPM's: the security officer cannot get in to unblock either.
      expect(login(o(), session, token().soPin, 'so')).toBe('CKR_PIN_LOCKED');
      expect(pinFlags(o())).toEqual([]);
      expect(tpmLockoutCounter(token())).toBe(maxTries);

      clearTpmLockout(token());
      expect(login(o(), session, token().pin)).toBe('CKR_OK');
      expect(pinFlags(o())).toEqual([]);
    });
  });

  it('does not enforce the PIN lengths it reports: the SDK must (CKR_PIN_LEN_RANGE never comes)', () => {
    const { lib, slot } = o();
    const { minPinLen, maxPinLen } = lib.C_GetTokenInfo(slot);
    expect([minPinLen, maxPinLen]).toEqual([0, 128]);
    const long = '1'.repeat(maxPinLen + 1);
    inSession(o(), (session) => {
      expect(login(o(), session, token().pin)).toBe('CKR_OK');
      expect(ckr(() => lib.C_SetPIN(session, token().pin, long))).toBe('CKR_OK');
      expect(ckr(() => lib.C_SetPIN(session, long, ''))).toBe('CKR_OK');
      expect(ckr(() => lib.C_SetPIN(session, '', token().pin))).toBe('CKR_OK');
    });
  });
});
