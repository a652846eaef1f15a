/**
 * Checks of single option values of the embedded CA: a template, a common name, a flag, a URL.
 * Each refuses a bad value with `InvalidInputError` naming the option. Internal.
 */
import { InvalidInputError } from '../../errors.js';
import { isKeyUsageName } from '../../lib/key-usage.js';
import type { IssuableTemplate } from './templates.js';

const OID_TEXT = /^[0-2](\.(0|[1-9]\d*))+$/;

/** Refuses a template that is not something a certificate can be made from. */
export function checkTemplate(template: IssuableTemplate): void {
  const fields = template as Partial<Record<keyof IssuableTemplate, unknown>>;
  const ok =
    typeof fields.name === 'string' &&
    fields.name !== '' &&
    Array.isArray(fields.extendedKeyUsages) &&
    fields.extendedKeyUsages.every((oid) => typeof oid === 'string' && OID_TEXT.test(oid)) &&
    Array.isArray(fields.keyUsage) &&
    fields.keyUsage.every(isKeyUsageName) &&
    Array.isArray(fields.keySpecs) &&
    Number.isInteger(fields.validityDays) &&
    (fields.validityDays as number) >= 1 &&
    Number.isInteger(fields.minimumRsaKeySize) &&
    (fields.oid === undefined || (typeof fields.oid === 'string' && OID_TEXT.test(fields.oid)));
  if (!ok) {
    throw new InvalidInputError(`The template ${String(fields.name)} is not a usable template.`);
  }
}

/** A common name of 1 to 64 characters. */
export function commonName(value: unknown, option: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 64) {
    throw new InvalidInputError(`${option} is a common name of 1 to 64 characters.`);
  }
  return value;
}

/** `true`, `false` or absent (false). */
export function flag(value: unknown, option: string): boolean {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new InvalidInputError(`${option} is true or false.`);
  }
  return value === true;
}

/** An absolute http(s) or ldap URL, in its ASCII form (an IA5String in the certificate). */
export function urlOf(value: unknown, option: string): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || !['http:', 'https:', 'ldap:'].includes(url.protocol)) {
    throw new InvalidInputError(`${option} is an absolute http, https or ldap URL.`);
  }
  return url.href;
}
