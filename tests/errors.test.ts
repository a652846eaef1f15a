import { describe, expect, it } from 'vitest';
import {
  CardFullError,
  CardRemovedError,
  CaUnavailableError,
  CertificateInvalidError,
  CertificateMismatchError,
  DeviceMismatchError,
  ERROR_CODES,
  InvalidInputError,
  KeyNotFoundError,
  KeyUsageError,
  PinPolicyError,
  PinRequiredError,
  Pkcs11ModuleError,
  RequestInvalidError,
  SmartCardError,
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
