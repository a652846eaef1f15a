/**
 * The verifier's three inputs read strictly: Node's peer certificate chain (loops, huge chains),
 * RFC 9440 header values (byte-sequence syntax, parameters, padding, sizes, chain order), and
 * nginx's escaped PEM (escaping, extra blocks, text around). Bad input is a refusal with a reason,
 * never a throw; misuse (no input form at all) is InvalidInputError.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CertificateAuthority } from '../../src/enrollment/index.js';
import { type ClientCertificateInput, ClientCertificateVerifier } from '../../src/server/index.js';
import { codeOf } from '../support/errors.js';
import { ALICE, issueTo, makeCa, pem, type SoftwareClient } from './support/pki.js';

const sf = (der: Uint8Array) => `:${Buffer.from(der).toString('base64')}:`;

describe('ClientCertificateVerifier inputs', () => {
  let ca: CertificateAuthority;
  let alice: SoftwareClient;
  let verifier: ClientCertificateVerifier;
  let withoutIssuing: ClientCertificateVerifier;

  beforeAll(async () => {
    ca = await makeCa();
    alice = await issueTo(ca, ALICE);
    verifier = new ClientCertificateVerifier({
      trustAnchors: [ca.root],
      intermediates: [ca.issuer],
    });
    // Trusts the root only: the issuing CA must come with the client's chain.
    withoutIssuing = new ClientCertificateVerifier({ trustAnchors: [ca.root] });
  }, 30_000);

  const reasonOf = async (input: ClientCertificateInput, by = verifier) => {
    const result = await by.verify(input);
    return result.verified ? 'verified' : `${result.reason}: ${result.detail}`;
  };

  it("reads Node's chain, leaf first, the root pointing at itself", async () => {
    const root: { raw: Uint8Array; issuerCertificate?: unknown } = { raw: ca.root };
    root.issuerCertificate = root;
    const peer = { raw: alice.der, issuerCertificate: { raw: ca.issuer, issuerCertificate: root } };
    expect(await reasonOf({ peerCertificate: peer as never }, withoutIssuing)).toBe('verified');
    expect(await reasonOf({ peerCertificate: {} })).toBe(
      'no-certificate: The client sent no certificate.',
    );
  });

  it('refuses a chain over nine certificates and one that loops back, without hanging', async () => {
    let node: { raw: Uint8Array; issuerCertificate?: unknown } = { raw: ca.issuer };
    for (let i = 0; i < 12; i++) node = { raw: ca.issuer, issuerCertificate: node };
    expect(
      await reasonOf({ peerCertificate: { raw: alice.der, issuerCertificate: node } as never }),
    ).toMatch(/^malformed-input: The peer sent more than 9 certificates/);
    const a: { raw: Uint8Array; issuerCertificate?: unknown } = { raw: alice.der };
    const b = { raw: ca.issuer, issuerCertificate: a };
    a.issuerCertificate = b;
    expect(await reasonOf({ peerCertificate: a as never })).toBe('verified');
    const huge = { raw: new Uint8Array(16 * 1024 + 1) };
    expect(await reasonOf({ peerCertificate: huge })).toMatch(
      /^malformed-input: .*raw is not 1 to 16384/,
    );
  });

  it('reads RFC 9440 headers: the chain in either order, spaces around members', async () => {
    const input = {
      clientCert: sf(alice.der),
      clientCertChain: `${sf(ca.issuer)} , ${sf(ca.root)}`,
    };
    expect(await reasonOf(input, withoutIssuing)).toBe('verified');
    const reversed = {
      clientCert: sf(alice.der),
      clientCertChain: `${sf(ca.root)},${sf(ca.issuer)}`,
    };
    expect(await reasonOf(reversed, withoutIssuing)).toBe('verified');
    expect(await reasonOf({ clientCert: sf(alice.der) }, withoutIssuing)).toMatch(
      /^certificate-invalid: /,
    );
    expect(await reasonOf({ clientCert: undefined })).toBe(
      'no-certificate: The proxy forwarded no Client-Cert.',
    );
  });

  it('reads base64 without its padding or with pad bits set, as RFC 8941 asks', async () => {
    const bare = (der: Uint8Array) => sf(der).replace(/=+:$/, ':');
    const input = {
      clientCert: bare(alice.der),
      clientCertChain: `${bare(ca.issuer)},${bare(ca.root)}`,
    };
    expect(await reasonOf(input, withoutIssuing)).toBe('verified');
    // 30 03 01 02 03: read the same padded, bare, and with the last two (pad) bits set.
    const fiveBytes = await reasonOf({ clientCert: ':MAMBAgM=:' });
    expect(fiveBytes).toMatch(/^certificate-invalid: /);
    expect(await reasonOf({ clientCert: ':MAMBAgM:' })).toBe(fiveBytes);
    expect(await reasonOf({ clientCert: ':MAMBAgP:' })).toBe(fiveBytes);
  });

  it('refuses malformed RFC 9440 values with the reason', async () => {
    const good = sf(alice.der);
    const cases: [ClientCertificateInput, RegExp][] = [
      [{ clientCert: good.slice(1) }, /not one structured-field byte sequence/],
      [{ clientCert: `${good};pem=1` }, /without parameters/],
      // Fixed bytes, not a certificate's: its base64 may need no padding and hold no + or /.
      [{ clientCert: ':MA=MBAgM:' }, /not base64 of any bytes/],
      [{ clientCert: ':MAMBAgM==:' }, /not base64 of any bytes/],
      [{ clientCert: ':MAMBA:' }, /not base64 of any bytes/],
      [
        { clientCert: `:${Buffer.from([0xfb, 0xff, 0x30]).toString('base64url')}:` },
        /structured-field/,
      ],
      [{ clientCert: '::' }, /not base64 of any bytes/],
      [{ clientCert: `:${'A'.repeat(30_000)}:` }, /too long/],
      [{ clientCert: good, clientCertChain: `${sf(ca.issuer)},,${sf(ca.root)}` }, /item 2/],
      [
        { clientCert: good, clientCertChain: Array(9).fill(sf(ca.issuer)).join(',') },
        /more than 8/,
      ],
      [{ clientCert: undefined, clientCertChain: sf(ca.issuer) }, /without Client-Cert/],
      [{ clientCert: sf(new Uint8Array([0x30, 0x03, 1, 2, 3])) }, /^certificate-invalid: /],
    ];
    for (const [input, reason] of cases) {
      const said = await reasonOf(input);
      if (!reason.source.startsWith('^')) expect(said).toMatch(/^malformed-input: /);
      expect(said).toMatch(reason);
    }
  });

  it("reads nginx's escaped PEM and refuses anything else in it", async () => {
    const escaped = encodeURIComponent(alice.cert);
    expect(await reasonOf({ nginxEscapedCert: escaped })).toBe('verified');
    // nginx escapes only some characters: '+', '/', '=' may come as they are.
    expect(
      await reasonOf({
        nginxEscapedCert: alice.cert.replaceAll('\n', '%0A').replaceAll(' ', '%20'),
      }),
    ).toBe('verified');
    const cases: [ClientCertificateInput, RegExp][] = [
      [{ nginxEscapedCert: '%E0%A4%A' }, /not valid URL escaping/],
      [
        { nginxEscapedCert: encodeURIComponent(alice.cert + pem('CERTIFICATE', ca.issuer)) },
        /one CERTIFICATE block/,
      ],
      [
        { nginxEscapedCert: encodeURIComponent(pem('X509 CRL', alice.der)) },
        /one CERTIFICATE block/,
      ],
      [{ nginxEscapedCert: encodeURIComponent(`hello\n${alice.cert}`) }, /text outside/],
      [{ nginxEscapedCert: [escaped, escaped] }, /more than once/],
      [{ nginxEscapedCert: 'x'.repeat(70_000) }, /too long/],
    ];
    for (const [input, reason] of cases) {
      expect(await reasonOf(input)).toMatch(new RegExp(`^malformed-input: .*${reason.source}`));
    }
    expect(await reasonOf({ nginxEscapedCert: '' })).toMatch(/^no-certificate/);
  });

  it('throws InvalidInputError for misuse: no input form, bad options', async () => {
    expect(await codeOf(verifier.verify({} as never))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf(verifier.verify(null as never))).toBe('ERR_INVALID_INPUT');
    expect(await codeOf((async () => new ClientCertificateVerifier({ trustAnchors: [] }))())).toBe(
      'ERR_INVALID_INPUT',
    );
    const badEku = async () =>
      new ClientCertificateVerifier({ trustAnchors: [ca.root], requiredEku: ['nonsense'] });
    expect(await codeOf(badEku())).toBe('ERR_INVALID_INPUT');
  });
});
