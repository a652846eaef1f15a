/**
 * The OCSPRequest the client sends, read back with pkijs: one CertID per certificate, equal to
 * the CertID pkijs computes (SHA-1 with NULL parameters by default, SHA-256 without), version 1
 * left out, and the nonce as 32 octets in an OCTET STRING inside the extnValue (RFC 8954).
 */
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { beforeAll, describe, expect, it } from 'vitest';
import { children, readSingle, type Tlv } from '../../../../src/lib/der.js';
import { parseCertificate } from '../../../../src/server/path/certificate.js';
import { encodeCertId, encodeOcspRequest } from '../../../../src/server/path/ocsp/request.js';
import { ocspPki, type Pki } from './support.js';

let pki: Pki;
beforeAll(async () => {
  pki = await ocspPki();
});

async function certIdOf(hash: 'SHA-1' | 'SHA-256') {
  const issuer = parseCertificate(pki.ca.der);
  const leaf = parseCertificate(pki.leaf.der);
  if (typeof issuer === 'string' || typeof leaf === 'string') throw new Error('unparsed');
  return encodeCertId(crypto, hash, {
    issuerName: issuer.subject,
    issuerSpki: issuer.spki,
    serial: leaf.serial,
  });
}

describe('the OCSP request', () => {
  it.each(['SHA-1', 'SHA-256'] as const)(
    'its %s CertID is the one pkijs computes',
    async (hash) => {
      const body = encodeOcspRequest([await certIdOf(hash)]);
      const request = pkijs.OCSPRequest.fromBER(body.slice());
      expect(request.tbsRequest.requestList).toHaveLength(1);
      const ours = request.tbsRequest.requestList[0]?.reqCert as pkijs.CertID;
      const theirs = await pkijs.CertID.create(pkijs.Certificate.fromBER(pki.leaf.der.slice()), {
        hashAlgorithm: hash,
        issuerCertificate: pkijs.Certificate.fromBER(pki.ca.der.slice()),
      });
      expect(ours.issuerNameHash.isEqual(theirs.issuerNameHash)).toBe(true);
      expect(ours.issuerKeyHash.isEqual(theirs.issuerKeyHash)).toBe(true);
      expect(ours.serialNumber.isEqual(theirs.serialNumber)).toBe(true);
      expect(ours.hashAlgorithm.algorithmId).toBe(theirs.hashAlgorithm.algorithmId);
      const parameters = ours.hashAlgorithm.algorithmParams;
      if (hash === 'SHA-1') expect(parameters).toBeInstanceOf(asn1js.Null);
      else expect(parameters).toBeUndefined();
      expect(request.tbsRequest.requestExtensions).toBeUndefined();
    },
  );

  it('the nonce is an OCTET STRING of 32 octets inside the extnValue, and the version is left out', async () => {
    const nonce = crypto.getRandomValues(new Uint8Array(32));
    const body = encodeOcspRequest([await certIdOf('SHA-1')], nonce);
    const request = pkijs.OCSPRequest.fromBER(body.slice());
    const [extension, ...others] = request.tbsRequest.requestExtensions ?? [];
    expect(others).toEqual([]);
    expect(extension?.extnID).toBe('1.3.6.1.5.5.7.48.1.2');
    const inner = asn1js.fromBER(
      extension?.extnValue.valueBlock.valueHexView.slice() ?? new Uint8Array(),
    );
    expect(inner.result).toBeInstanceOf(asn1js.OctetString);
    expect(new Uint8Array((inner.result as asn1js.OctetString).valueBlock.valueHexView)).toEqual(
      nonce,
    );
    // TBSRequest: no [0] version (DER leaves the default out), the request list, [2] extensions.
    const [tbs] = children(body, readSingle(body));
    expect(children(body, tbs as Tlv).map((field) => field.tag)).toEqual([0x30, 0xa2]);
  });
});
