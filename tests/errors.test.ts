import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  type AnySmartCardError,
  CardFullError,
  CardRemovedError,
  CaUnavailableError,
  CertificateInvalidError,
  CertificateMismatchError,
  DeviceMismatchError,
  ERROR_CODES,
  type ErrorCode,
  InvalidInputError,
  KeyNotFoundError,
  KeyUsageError,
  PinPolicyError,
  PinRequiredError,
  Pkcs11ModuleError,
  RequestInvalidError,
  ServerUnavailableError,
  SmartCardError,
  type SmartCardErrorByCode,
  StateCorruptError,
  StorageError,
  TooManyChallengesError,
  TpmLockoutError,
  TpmUnavailableError,
  UnblockUnavailableError,
  UnsupportedEnvironmentError,
  WrongServiceError,
} from '../src/index.js';

const subclasses = [
  [InvalidInputError, 'ERR_INVALID_INPUT'],
  [StateCorruptError, 'ERR_STATE_CORRUPT'],
  [StorageError, 'ERR_STORAGE'],
  [UnblockUnavailableError, 'ERR_UNBLOCK_UNAVAILABLE'],
  [CardRemovedError, 'ERR_CARD_REMOVED'],
  [DeviceMismatchError, 'ERR_DEVICE_MISMATCH'],
  [TpmUnavailableError, 'ERR_TPM_UNAVAILABLE'],
  [UnsupportedEnvironmentError, 'ERR_UNSUPPORTED_ENVIRONMENT'],
  [RequestInvalidError, 'ERR_REQUEST_INVALID'],
  [PinRequiredError, 'ERR_PIN_REQUIRED'],
  [KeyNotFoundError, 'ERR_KEY_NOT_FOUND'],
  [KeyUsageError, 'ERR_KEY_USAGE'],
  [CardFullError, 'ERR_CARD_FULL'],
  [CertificateInvalidError, 'ERR_CERTIFICATE_INVALID'],
  [CertificateMismatchError, 'ERR_CERTIFICATE_MISMATCH'],
  [CaUnavailableError, 'ERR_CA_UNAVAILABLE'],
  [TooManyChallengesError, 'ERR_TOO_MANY_CHALLENGES'],
  [WrongServiceError, 'ERR_WRONG_SERVICE'],
  [ServerUnavailableError, 'ERR_SERVER_UNAVAILABLE'],
] as const;

describe('SmartCardError', () => {
  it.each(subclasses)('%o has its own stable code', (Class, code) => {
    const cause = new Error('underlying');
    const error = new Class('message for people', { cause });
    expect(error).toBeInstanceOf(SmartCardError);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(code);
    expect(error.name).toBe(Class.name);
    expect(error.cause).toBe(cause);
    expect(SmartCardError.is(error)).toBe(true);
    expect(SmartCardError.is(error, code)).toBe(true);
    expect(SmartCardError.is(error, 'ERR_PIN_POLICY')).toBe(false);
    expect(Class.code).toBe(code);
  });

  it('gives the classes with extra fields their static code too', () => {
    expect(PinPolicyError.code).toBe('ERR_PIN_POLICY');
    expect(TpmLockoutError.code).toBe('ERR_TPM_LOCKOUT');
    expect(Pkcs11ModuleError.code).toBe('ERR_PKCS11');
    expect(new PinPolicyError('x', []).code).toBe(PinPolicyError.code);
  });

  it('gives every code in ERROR_CODES exactly one subclass', () => {
    const codes = [
      ...subclasses.map(([, code]) => code),
      'ERR_PIN_POLICY',
      'ERR_TPM_LOCKOUT',
      'ERR_PKCS11',
    ];
    expect(new Set(codes).size).toBe(codes.length);
    expect([...codes].sort()).toEqual([...ERROR_CODES].sort());
  });

  it('leaves cause unset when none is given', () => {
    expect('cause' in new StorageError('x')).toBe(false);
  });

  it('PinPolicyError carries a frozen copy of the violations', () => {
    const violations = [{ code: 'too-short', message: 'short' }];
    const error = new PinPolicyError('bad PIN', violations);
    violations.push({ code: 'too-long', message: 'long' });
    expect(error.code).toBe('ERR_PIN_POLICY');
    expect(error.violations.map((v) => v.code)).toEqual(['too-short']);
    expect(Object.isFrozen(error.violations)).toBe(true);
  });

  it('Pkcs11ModuleError carries the return value, its number and the function', () => {
    const cause = new Error('CKR_DEVICE_ERROR');
    const error = new Pkcs11ModuleError('failed', {
      ckr: 'CKR_DEVICE_ERROR',
      returnValue: 0x30,
      method: 'C_Sign',
      cause,
    });
    expect(error).toMatchObject({
      code: 'ERR_PKCS11',
      name: 'Pkcs11ModuleError',
      ckr: 'CKR_DEVICE_ERROR',
      returnValue: 0x30,
      method: 'C_Sign',
      cause,
    });
    expect(SmartCardError.is(error, 'ERR_PKCS11')).toBe(true);
    expect(new Pkcs11ModuleError('x', { ckr: 'CKR_GENERAL_ERROR', returnValue: 5 }).method).toBe(
      undefined,
    );
  });

  it('TpmLockoutError carries the wait', () => {
    const error = new TpmLockoutError('locked out', 20_000);
    expect(error).toMatchObject({ code: 'ERR_TPM_LOCKOUT', retryAfterMs: 20_000 });
  });

  it('CaUnavailableError carries the HTTP status and the request id, when known', () => {
    const error = new CaUnavailableError('HTTP 503', { httpStatus: 503, requestId: 7 });
    expect(error).toMatchObject({ code: 'ERR_CA_UNAVAILABLE', httpStatus: 503, requestId: 7 });
    expect(new CaUnavailableError('down')).toMatchObject({
      httpStatus: undefined,
      requestId: undefined,
    });
  });

  it('is() refuses look-alikes: Node errors with ERR_ codes, plain objects, primitives', () => {
    const nodeError = Object.assign(new TypeError('x'), { code: 'ERR_INVALID_ARG_TYPE' });
    expect(SmartCardError.is(nodeError)).toBe(false);
    expect(SmartCardError.is({ code: 'ERR_STORAGE', message: 'x' })).toBe(false);
    expect(SmartCardError.is(null)).toBe(false);
    expect(SmartCardError.is('ERR_STORAGE')).toBe(false);
  });

  it('is() recognises an error from another copy of the SDK by its registered brand', () => {
    const foreign = Object.assign(new Error('from another bundle'), { code: 'ERR_STORAGE' });
    Object.defineProperty(foreign, Symbol.for('smartcard-2fa.SmartCardError'), { value: true });
    expect(SmartCardError.is(foreign, 'ERR_STORAGE')).toBe(true);
  });
});

// Type-level: checked by `tsc --noEmit` (the runtime calls are no-ops).
describe('SmartCardError types', () => {
  it('is(value, code) narrows to the class of the code', () => {
    const error: unknown = new PinPolicyError('bad PIN', []);
    if (SmartCardError.is(error, 'ERR_PIN_POLICY')) {
      expectTypeOf(error).toEqualTypeOf<PinPolicyError>();
      expectTypeOf(error.violations).toEqualTypeOf<PinPolicyError['violations']>();
    }
    if (SmartCardError.is(error, 'ERR_TPM_LOCKOUT')) {
      expectTypeOf(error).toEqualTypeOf<TpmLockoutError>();
      expectTypeOf(error.retryAfterMs).toBeNumber();
    }
    if (SmartCardError.is(error, 'ERR_CA_UNAVAILABLE')) {
      expectTypeOf(error.httpStatus).toEqualTypeOf<number | undefined>();
    }
    if (SmartCardError.is(error, 'ERR_PKCS11')) expectTypeOf(error.ckr).toBeString();
    if (SmartCardError.is(error, 'ERR_SERVER_UNAVAILABLE')) {
      expectTypeOf(error).toEqualTypeOf<ServerUnavailableError>();
    }
  });

  it('is(value) narrows to the union of every class, on which switch (code) narrows', () => {
    const error: unknown = new TpmLockoutError('locked out', 1000);
    if (!SmartCardError.is(error)) return;
    expectTypeOf(error).toEqualTypeOf<AnySmartCardError>();
    expectTypeOf(error.code).toEqualTypeOf<ErrorCode>();
    switch (error.code) {
      case 'ERR_PIN_POLICY':
        expectTypeOf(error).toEqualTypeOf<PinPolicyError>();
        break;
      case 'ERR_TPM_LOCKOUT':
        expectTypeOf(error).toEqualTypeOf<TpmLockoutError>();
        break;
      case 'ERR_CA_UNAVAILABLE':
        expectTypeOf(error).toEqualTypeOf<CaUnavailableError>();
        break;
      case 'ERR_STORAGE':
        expectTypeOf(error).toEqualTypeOf<StorageError>();
        break;
      default:
        expectTypeOf(error).not.toEqualTypeOf<AnySmartCardError>();
    }
  });

  it('maps every code, and only codes, to the class with that code', () => {
    expectTypeOf<keyof SmartCardErrorByCode>().toEqualTypeOf<ErrorCode>();
    expectTypeOf<{ [C in ErrorCode]: SmartCardErrorByCode[C]['code'] }>().toEqualTypeOf<{
      [C in ErrorCode]: C;
    }>();
    expectTypeOf<AnySmartCardError>().toExtend<SmartCardError>();
  });

  it('gives each class its code as a static literal', () => {
    expectTypeOf(PinPolicyError.code).toEqualTypeOf<'ERR_PIN_POLICY'>();
    expectTypeOf(ServerUnavailableError.code).toEqualTypeOf<'ERR_SERVER_UNAVAILABLE'>();
    expectTypeOf(new StorageError('x').code).toEqualTypeOf<'ERR_STORAGE'>();
  });
});
