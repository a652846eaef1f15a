/**
 * Names compared as RFC 5280 §7.1 asks (RFC 4518 string preparation), not byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { DerError, readSingle } from '../../src/lib/der.js';
import {
  bmpString,
  ia5String,
  oid,
  sequence,
  setOf,
  tlv,
  utf8String,
} from '../../src/lib/der-write.js';
import { nameKey, prepareString } from '../../src/lib/names.js';

const CN = '2.5.4.3';
const O = '2.5.4.10';
const latin1 = (text: string) => Uint8Array.from(text, (character) => character.charCodeAt(0));
const printable = (text: string) => tlv(0x13, latin1(text));
const numeric = (text: string) => tlv(0x12, latin1(text));

type Pair = readonly [string, Uint8Array];
const rdn = (...pairs: Pair[]) =>
  setOf(...pairs.map(([type, value]) => sequence(oid(type), value)));
const name = (...rdns: Uint8Array[]) => sequence(...rdns);
const keyOf = (der: Uint8Array) => nameKey(der, readSingle(der));

describe('prepareString (RFC 4518)', () => {
  it('folds case, drops insignificant spaces and collapses inner runs', () => {
    expect(prepareString('  Contoso   Root CA ')).toBe('contoso root ca');
    expect(prepareString('CONTOSO ROOT CA')).toBe('contoso root ca');
    expect(prepareString('   ')).toBe('');
  });

  it('folds fully and normalises compatibility forms (NFKC)', () => {
    expect(prepareString('Straße')).toBe(prepareString('STRASSE'));
    expect(prepareString('Ｃｏｎｔｏｓｏ')).toBe('contoso');
    expect(prepareString('ﬁnance')).toBe('finance');
  });

  it('maps controls and format characters to nothing, other spaces to a space', () => {
    expect(prepareString('Con\u00adto\u200bso')).toBe('contoso');
    expect(prepareString('Contoso\u00a0Root\u3000CA\tEast')).toBe('contoso root ca east');
    expect(prepareString('Contoso\u0000')).toBe('contoso');
  });

  it('answers undefined for prohibited characters (private use, unassigned, U+FFFD)', () => {
    expect(prepareString('Contoso\ue000')).toBeUndefined();
    expect(prepareString('Contoso\ufffd')).toBeUndefined();
    expect(prepareString('Contoso\u{10ffff}')).toBeUndefined();
  });
});

describe('nameKey (RFC 5280 §7.1)', () => {
  const root = name(rdn([O, printable('Contoso')]), rdn([CN, printable('Contoso Root CA')]));

  it('equates PrintableString and UTF8String, case and spaces', () => {
    const rolledOver = name(
      rdn([O, utf8String('CONTOSO')]),
      rdn([CN, utf8String(' contoso  root ca')]),
    );
    expect(keyOf(rolledOver)).toBe(keyOf(root));
    const bmp = name(rdn([O, bmpString('Contoso')]), rdn([CN, bmpString('Contoso Root CA')]));
    expect(keyOf(bmp)).toBe(keyOf(root));
    const ia5 = name(rdn([O, ia5String('contoso')]), rdn([CN, ia5String('Contoso Root CA')]));
    expect(keyOf(ia5)).toBe(keyOf(root));
  });

  it('tells apart other values, other attribute types and another order of RDNs', () => {
    expect(
      keyOf(name(rdn([O, printable('Contoso')]), rdn([CN, printable('Contoso Root')]))),
    ).not.toBe(keyOf(root));
    expect(
      keyOf(name(rdn([O, printable('Contoso')]), rdn([O, printable('Contoso Root CA')]))),
    ).not.toBe(keyOf(root));
    expect(
      keyOf(name(rdn([CN, printable('Contoso Root CA')]), rdn([O, printable('Contoso')]))),
    ).not.toBe(keyOf(root));
  });

  it('compares a multi-valued RDN as a set', () => {
    const one = name(rdn([O, printable('Contoso')], [CN, printable('Root')]));
    const other = name(rdn([CN, utf8String('root')], [O, utf8String('contoso')]));
    expect(keyOf(one)).toBe(keyOf(other));
  });

  it('compares values of other types as their bytes', () => {
    const serial = (text: string) => name(rdn(['2.5.4.5', numeric(text)]));
    expect(keyOf(serial('0042'))).toBe(keyOf(serial('0042')));
    expect(keyOf(serial('0042'))).not.toBe(keyOf(serial('42')));
    expect(keyOf(name(rdn([CN, numeric('1')])))).not.toBe(keyOf(name(rdn([CN, printable('1')]))));
  });

  it('compares a value with a prohibited character by its bytes: equal only to itself', () => {
    const odd = name(rdn([CN, utf8String('Root\ue000')]));
    expect(keyOf(odd)).toBe(keyOf(name(rdn([CN, utf8String('Root\ue000')]))));
    expect(keyOf(odd)).not.toBe(keyOf(name(rdn([CN, utf8String('ROOT\ue000')]))));
  });

  it('throws DerError for what is not a Name', () => {
    expect(() => keyOf(setOf())).toThrow(DerError);
    expect(() => keyOf(name(sequence()))).toThrow(DerError);
    expect(() => keyOf(name(setOf()))).toThrow(DerError);
    expect(() => keyOf(name(rdn([CN, printable('a*b')])))).toThrow(DerError);
  });
});
