import { describe, expect, it } from 'vitest';
import { keyUsageBits } from '../../src/enrollment/ms-attributes.js';
import { KEY_USAGE_BITS } from '../../src/lib/key-usage.js';
import { keyUsage } from '../../src/server/path/extensions.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('keyUsage bits: one list for the CA and path validation', () => {
  it('writes the DER BIT STRING with no trailing zero bits, in one or two bytes', () => {
    expect(hex(keyUsageBits([]))).toBe('030100');
    expect(hex(keyUsageBits(['digitalSignature']))).toBe('03020780');
    expect(hex(keyUsageBits(['digitalSignature', 'keyCertSign', 'cRLSign']))).toBe('03020186');
    expect(hex(keyUsageBits(['keyAgreement', 'encipherOnly']))).toBe('03020009');
    expect(hex(keyUsageBits(['keyAgreement', 'decipherOnly']))).toBe('0303070880');
  });

  it('reads back every name the CA writes', () => {
    for (const name of KEY_USAGE_BITS) {
      expect([...keyUsage(keyUsageBits([name]))]).toEqual([name]);
    }
    expect(keyUsage(keyUsageBits([...KEY_USAGE_BITS]))).toEqual(new Set(KEY_USAGE_BITS));
  });
});
