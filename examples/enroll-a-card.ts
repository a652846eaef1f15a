/**
 * Enroll your smart card: the enrollment-station procedure from a blank card to an installed
 * Smartcard User certificate. Alice self-enrolls a blank physical card at the enrollment station
 * with the Smartcard User enrollment-station form; an enrollment agent enrolls her virtual card on her behalf; a request
 * from an account the directory does not know is denied and leaves the card as it was; and
 * Alice's lost physical card is revoked and listed in the CRL.
 *
 * This is the code of docs/enroll-a-card.md. Run it with `npx tsx examples/enroll-a-card.ts`.
 */
import { pathToFileURL } from 'node:url';
import * as pkijs from 'pkijs';
import { DEFAULT_PIN } from 'smartcard-2fa';
import {
  type CardPinVerifyResult,
  PhysicalSmartCard,
  SimulatedReader,
  SoftwareTpm,
  VirtualSmartCard,
} from 'smartcard-2fa/card';
import {
  CertificateAuthority,
  type CertificateSummary,
  CertsrvClient,
  type DirectoryEntry,
  describeCertificate,
  type EnrollCardResult,
  type EnrollmentAgent,
  EnrollmentBuilder,
  enrollCard,
} from 'smartcard-2fa/enrollment';

type Log = (line: string) => void;

// The directory the CA takes subjects from, as AD CS takes them from Active Directory: the
// certificate's subject, UPN and e-mail are what the directory says, not what a request asks.
const ALICE = {
  account: 'CONTOSO\\alice',
  commonName: 'Alice Example',
  upn: 'alice@contoso.com',
  email: 'alice@contoso.com',
  organizationalUnits: ['Users', 'Corp'],
  domainComponents: ['contoso', 'com'],
} as const satisfies DirectoryEntry;

const AGENT = {
  account: 'CONTOSO\\helpdesk',
  commonName: 'Help Desk Enrollment Agent',
  upn: 'helpdesk@contoso.com',
  organizationalUnits: ['Help Desk', 'Corp'],
  domainComponents: ['contoso', 'com'],
} as const satisfies DirectoryEntry;

export async function main(log: Log = console.log): Promise<void> {
  const ca = await createCa(log);
  const serial = await selfEnroll(ca, log);
  await enrollByAgent(ca, log);
  await deniedRequest(ca, log);
  await revokeLostCard(ca, serial, log);
}

async function createCa(log: Log): Promise<CertificateAuthority> {
  // A root and an issuing CA, as an AD CS hierarchy has them. The CA keys are ECDSA P-256 only
  // to keep the example quick: they are made in milliseconds, where each RSA-2048 key (the
  // default, as AD CS) takes a noticeable fraction of a second.
  const ca = await CertificateAuthority.create({
    name: 'Contoso Root CA',
    issuing: { name: 'Contoso Issuing CA' },
    keyAlgorithm: 'ECDSA-P256',
    crlUrl: 'http://pki.contoso.com/crl/contoso-issuing.crl',
    directory: [ALICE, AGENT],
    // Who may hold an Enrollment Agent certificate (nobody by default): it obtains certificates
    // for anyone, so AD CS too restricts its template to an "Enrollment Agents" group.
    enrollmentAgents: [AGENT.account],
  });
  const issuer = describeCertificate(ca.issuer);
  log(`CA: ${issuer.subject}, certified by ${issuer.issuer}`);
  return ca;
}

/** Alice enrolls her blank physical card herself; returns the certificate's serial number. */
async function selfEnroll(ca: CertificateAuthority, log: Log): Promise<string> {
  // The enrollment station's reader, and Alice's blank card in it.
  const station = new SimulatedReader('Enrollment station');
  const card = await PhysicalSmartCard.create({ serial: 'ALICE-0001', label: 'Alice' });
  station.insert(card);

  // The AD CS Advanced Certificate Request form at the Smart Card Enrollment Station: Smartcard
  // User, Create new key set, Microsoft Base Smart Card Crypto Provider, Exchange, 2048,
  // automatic key container name, CMC, SHA-256, friendly name "Smartcard Certificate"
  // (EnrollmentBuilder.smartcardUserLegacySha1() is the same form with the legacy sha1).
  const form = EnrollmentBuilder.smartcardUser().upn(ALICE.upn).email(ALICE.email);

  const result = await enrollCard({
    card,
    request: form,
    // certsrv knows who is logged on to the page: Alice, with her domain account.
    submit: (request) => {
      log(`request (physical): ${request.format}, template ${request.template}`);
      // The friendly name is the station's label for the install; the CA never sees it.
      const sent = mentions(request.der, request.friendlyName ?? '');
      log(`friendly name "${request.friendlyName}" in the request: ${sent}`);
      return ca.issue(request, { requester: ALICE.account });
    },
    // No PIN was assigned, so the station uses the default PIN 12345678 (`pin` to give one);
    // and it forces a PIN change on first use, as the procedure asks (the default).
    requirePinChange: true,
    // "Click OK to confirm that the certificate displayed has your information on it."
    confirm: (certificate) => {
      showCertificate(certificate, log);
      return certificate.upn === ALICE.upn && certificate.email === ALICE.email;
    },
    onProgress: ({ step }) => log(`step (physical): ${step}`),
  });
  log(`enrollment (physical): ${describeResult(result)}`);
  if (result.status !== 'installed') throw new Error('The physical card was not enrolled.');

  // "Install this certificate": it is on the card now, beside the key it certifies.
  for (const container of await card.containers()) {
    const certificate = container.hasCertificate ? 'a certificate' : 'no certificate';
    log(`key container (physical): ${container.algorithm}, ${container.keySpec}, ${certificate}`);
  }
  const installed = await card.certificate(result.container);
  log(`installed certificate is the issued one: ${sameBytes(installed, result.certificate)}`);

  // Alice takes her card to her own computer: the default PIN works, and must be changed first.
  station.remove();
  new SimulatedReader("Alice's laptop").insert(card);
  log(`first use, default PIN (physical): ${describePin(await card.verifyPin(DEFAULT_PIN))}`);
  const pin = 'k7#Lm2pQ';
  log(`change the PIN (physical): ${(await card.changePin(DEFAULT_PIN, pin)).status}`);
  log(`verify the new PIN (physical): ${describePin(await card.verifyPin(pin))}`);
  return result.summary.serialNumber;
}

/** The help desk's enrollment agent enrolls Alice's virtual card on her behalf. */
async function enrollByAgent(ca: CertificateAuthority, log: Log): Promise<void> {
  // The agent's own card, in use already with the agent's own PIN, first gets an Enrollment
  // Agent certificate (EKU Certificate Request Agent), requested with the agent's own account.
  const agentPin = 'Hd#58-30q';
  const agentCard = await PhysicalSmartCard.create({
    serial: 'AGENT-0001',
    label: 'Help desk',
    pin: agentPin,
    mustChange: false,
  });
  new SimulatedReader('Help desk').insert(agentCard);
  await agentCard.verifyPin(agentPin);
  const agentRequest = await new EnrollmentBuilder().template('EnrollmentAgent').build(agentCard);
  const answer = await ca.issue(agentRequest, { requester: AGENT.account });
  if (answer.status !== 'issued') throw new Error(`No agent certificate: ${answer.reason}`);
  await agentCard.installCertificate(agentRequest.container, answer.certificate);
  const usages = describeCertificate(answer.certificate).extendedKeyUsages;
  log(`agent certificate (request ${answer.requestId}): ${usages.join(', ')}`);
  const agent: EnrollmentAgent = {
    card: agentCard,
    container: agentRequest.container,
    certificate: answer.certificate,
  };

  // Alice's virtual card, as `tpmvscmgr create /name Alice /pin default` makes it on her laptop.
  const tpm = await SoftwareTpm.create();
  const card = await VirtualSmartCard.create({
    tpm,
    name: 'Alice',
    pin: 'default',
    serial: 'VSC-ALICE-01',
  });

  // The request is CMC signed by the agent's key, carrying the agent's certificate and a
  // regInfo `requestername=CONTOSO%5Calice`: the CA issues to Alice, from the directory.
  const result = await enrollCard({
    card,
    request: new EnrollmentBuilder().template('SmartcardUser').onBehalfOf(ALICE.account, agent),
    // Logged on to certsrv is the agent, not Alice.
    submit: (request) => {
      log(`request (virtual): ${request.format}, template ${request.template}`);
      return ca.issue(request, { requester: AGENT.account });
    },
    confirm: (certificate) => {
      log(`confirm (virtual): ${certificate.subject}, ${certificate.upn}`);
      return certificate.upn === ALICE.upn;
    },
    onProgress: ({ step }) => log(`step (virtual): ${step}`),
  });
  log(`enrollment (virtual): ${describeResult(result)}`);
  const [container] = await card.containers();
  log(
    `key container (virtual): ${container?.algorithm}, certificate: ${container?.hasCertificate}`,
  );
  log(`PIN must change (virtual): ${(await card.pinStatus()).mustChange}`);
}

/** Someone the directory does not know asks for a certificate: denied, the card untouched. */
async function deniedRequest(ca: CertificateAuthority, log: Log): Promise<void> {
  // This time the station submits through the CA's web enrollment pages, as the procedure
  // do: CertsrvClient posts the request to certfnsh.asp as the logged-on account, here one the
  // directory does not know. (`fetch` is a stand-in for the CA's web server, so that the example
  // runs offline; with a real AD CS, leave it out.)
  const certsrv = new CertsrvClient({
    baseUrl: 'https://ca.contoso.com/certsrv',
    headers: { Authorization: `Basic ${btoa('CONTOSO\\mallory:correct horse')}` },
    fetch: certsrvStandIn(ca),
  });
  const card = await PhysicalSmartCard.create({ serial: 'SPARE-0007', label: 'Spare' });
  new SimulatedReader('Enrollment station').insert(card);
  const result = await enrollCard({
    card,
    request: EnrollmentBuilder.smartcardUser()
      .upn('mallory@contoso.com')
      .email('mallory@contoso.com'),
    submit: (request) => certsrv.submit(request),
    onProgress: ({ step }) => log(`step (denied): ${step}`),
  });
  log(`enrollment (denied): ${describeResult(result)}`);
  // The key set generated for the request was deleted again: the card is as it was.
  const info = await card.info();
  const containers = (await card.containers()).length;
  log(`card after the denial: ${info.blank ? 'blank' : 'not blank'}, ${containers} containers`);
}

/** Alice's physical card is lost: revoke its certificate and publish a new CRL. */
async function revokeLostCard(ca: CertificateAuthority, serial: string, log: Log): Promise<void> {
  await ca.revoke(serial, 'keyCompromise');
  const crl = pkijs.CertificateRevocationList.fromBER(await ca.crl());
  const listed = (crl.revokedCertificates ?? []).map((entry) =>
    toHex(entry.userCertificate.valueBlock.valueHexView),
  );
  log(`CRL: ${listed.length} revoked, Alice's physical card listed: ${listed.includes(serial)}`);
  const issuer = pkijs.Certificate.fromBER(ca.issuer);
  log(`CRL signed by the issuing CA: ${await crl.verify({ issuerCertificate: issuer })}`);
}

/** What the holder checks before installing: the enrollment station's "your information". */
function showCertificate(certificate: CertificateSummary, log: Log): void {
  const days = Math.round(
    (certificate.notAfter.getTime() - certificate.notBefore.getTime()) / 864e5,
  );
  log(`certificate subject: ${certificate.subject}`);
  log(`certificate issuer: ${certificate.issuer}`);
  log(`certificate UPN: ${certificate.upn}`);
  log(`certificate e-mail: ${certificate.email}`);
  log(`certificate EKUs: ${certificate.extendedKeyUsages.join(', ')}`);
  log(`certificate validity: ${days} days`);
}

function describeResult(result: EnrollCardResult): string {
  switch (result.status) {
    case 'installed':
      return `installed (request ${result.requestId}), PIN change required: ${result.pinChangeRequired}`;
    case 'pending':
      return `pending (request ${result.requestId}): the new key set waits for the certificate`;
    case 'denied':
      return `denied (request ${result.requestId}): ${result.reason}`;
    case 'pin-required':
      return 'the card has its own PIN: give it as `pin`';
    case 'pin-incorrect':
      return `wrong PIN, ${result.attemptsRemaining ?? 'an unknown number of'} attempts left`;
    case 'pin-blocked':
      return 'the PIN is blocked';
    case 'cancelled':
      return `cancelled at ${result.step}`;
  }
}

function describePin(result: CardPinVerifyResult): string {
  if (result.status === 'verified') return result.mustChange ? 'verified, must change' : 'verified';
  return result.status;
}

/**
 * A stand-in for AD CS's web enrollment pages, answering as certsrv does: `certfnsh.asp` takes
 * the form and shows the result page (a link to the certificate, or the request id and the
 * disposition message), `certnew.cer?ReqID=<n>&Enc=b64` sends the certificate. It issues
 * through `ca`, for the account that the Basic `Authorization` header names.
 */
function certsrvStandIn(ca: CertificateAuthority): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    const basic = new Headers(init?.headers).get('Authorization')?.replace(/^Basic /, '');
    const requester = atob(basic ?? '').split(':')[0] ?? '';
    const page = (body: string) => new Response(`<HTML><Body>${body}</Body></HTML>`);
    if (url.pathname.endsWith('/certfnsh.asp')) {
      const form = new URLSearchParams(String(init?.body));
      const der = Uint8Array.from(atob(form.get('CertRequest') ?? ''), (c) => c.charCodeAt(0));
      const template = form.get('CertAttrib')?.replace(/^CertificateTemplate:/, '');
      const answer = await ca.issue(der, { requester, ...(template ? { template } : {}) });
      const id = answer.requestId;
      if (answer.status === 'issued') {
        return page(`<A Href="certnew.cer?ReqID=${id}&amp;Enc=b64">Download certificate</A>`);
      }
      const said =
        answer.status === 'pending' ? 'Certificate Pending' : 'Certificate Request Denied';
      const reason = answer.reason.replace(/[<>&"]/g, '');
      const message = `The disposition message is "${reason}".`;
      return page(`<P>${said}</P><P>Your Request Id is ${id}. ${message}</P>`);
    }
    const answer = ca.disposition(Number(url.searchParams.get('ReqID')));
    return answer?.status === 'issued'
      ? new Response(answer.pem)
      : new Response('Not found', { status: 404 });
  };
}

function sameBytes(a: Uint8Array | null, b: Uint8Array): boolean {
  return a !== null && a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** Whether `der` holds `text` as UTF-8 or as a BMPString (UTF-16BE), as requests write text. */
function mentions(der: Uint8Array, text: string): boolean {
  const utf8 = new TextEncoder().encode(text);
  const bmp = new Uint8Array(
    Array.from(text, (c) => c.charCodeAt(0)).flatMap((u) => [u >> 8, u & 0xff]),
  );
  return [utf8, bmp].some((needle) =>
    der.some((_, at) => needle.every((byte, i) => der[at + i] === byte)),
  );
}

function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
