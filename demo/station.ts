/**
 * The enrollment station's pieces: the AD CS Smartcard User enrollment form (Advanced
 * Certificate Request), a blank card (a physical one in the station's reader, or a new virtual
 * card on this computer's TPM), and the certificate shown for confirmation.
 */
import {
  PhysicalSmartCard,
  SimulatedReader,
  type SmartCard,
  SoftwareTpm,
  VirtualSmartCard,
} from 'smartcard-2fa/card';
import {
  type CertificateSummary,
  type DirectoryEntry,
  type EnrollCardResult,
  EnrollmentBuilder,
} from 'smartcard-2fa/enrollment';
import type { DemoOptions } from './args.js';
import { PIN_POLICY } from './pin-rules.js';
import type { DemoState } from './state.js';
import { DemoCancelled, type Ui } from './ui.js';

/** The directory entry the CA takes the certificate's subject, UPN and e-mail from. */
export const ALICE = {
  account: 'CONTOSO\\alice',
  commonName: 'Alice Example',
  upn: 'alice@contoso.com',
  email: 'alice@contoso.com',
  organizationalUnits: ['Users', 'Corp'],
  domainComponents: ['contoso', 'com'],
} as const satisfies DirectoryEntry;

const TEMPLATE = 'SmartcardUser';
const CSP = 'Microsoft Base Smart Card Crypto Provider';
const FRIENDLY_NAME = 'Smartcard Certificate';

/**
 * The Smartcard User form, field for field: Create new key set, the Base Smart Card CSP,
 * Exchange, 2048, CMC (or PKCS #10 with `--format pkcs10`), sha1, "Smartcard Certificate".
 */
export function requestForm(options: DemoOptions): EnrollmentBuilder {
  return new EnrollmentBuilder()
    .template(TEMPLATE)
    .newKeySet()
    .provider(CSP)
    .keySpec('exchange')
    .keySize(2048)
    .format(options.format)
    .hash('SHA-1')
    .friendlyName(FRIENDLY_NAME)
    .upn(ALICE.upn)
    .email(ALICE.email);
}

/** The form as the station shows it. */
export function showForm(ui: Ui, options: DemoOptions): void {
  const { field } = ui.texts;
  const rows: [string, string][] = [
    [field.template, 'Smartcard User'],
    [field.keySet, ui.texts.newKeySet],
    [field.csp, CSP],
    [field.keyUsage, ui.texts.exchange(2048)],
    [field.format, options.format === 'cmc' ? 'CMC' : 'PKCS #10'],
    [field.hash, 'sha1'],
    [field.friendlyName, FRIENDLY_NAME],
  ];
  ui.note(ui.texts.stationTitle, aligned(ui, rows));
}

/** A blank card: a physical one in the station's reader, or a new virtual card on the TPM. */
export async function blankCard(
  ui: Ui,
  options: DemoOptions,
  state: DemoState,
): Promise<{
  card: SmartCard;
  physical: { card: PhysicalSmartCard; reader: SimulatedReader } | undefined;
}> {
  const texts = ui.texts;
  if (options.card === 'physical') {
    const card = await PhysicalSmartCard.create({
      label: 'Alice',
      store: state.cards,
      pinPolicy: PIN_POLICY,
    });
    const reader = new SimulatedReader(texts.stationReader);
    const insert = await ui.confirm({
      message: texts.insertBlank(card.id),
      auto: true,
      yes: texts.enroll,
      no: texts.cancel,
    });
    if (!insert) throw new DemoCancelled();
    reader.insert(card);
    ui.info(texts.inReader(card.id, reader.name));
    return { card, physical: { card, reader } };
  }
  const tpm = await SoftwareTpm.create({ store: state.tpm });
  // The admin key by name: the one the unblock screen accepts as "default".
  const card = await VirtualSmartCard.create({
    tpm,
    name: 'Alice',
    pin: 'default',
    adminKey: 'default',
    store: state.cards,
  });
  ui.info(texts.virtualCard(card.id, tpm.deviceId));
  return { card, physical: undefined };
}

/** The issued certificate, as the station shows it before OK. */
export function describeCertificate(ui: Ui, certificate: CertificateSummary): string[] {
  const labels = ui.texts.certificate;
  const day = (date: Date) => date.toISOString().slice(0, 10);
  return aligned(ui, [
    [labels.subject, certificate.subject],
    [labels.issuer, certificate.issuer],
    [labels.upn, certificate.upn ?? labels.none],
    [labels.email, certificate.email ?? labels.none],
    [labels.ekus, certificate.extendedKeyUsages.join(', ')],
    [labels.validity, labels.range(day(certificate.notBefore), day(certificate.notAfter))],
    [labels.serial, certificate.serialNumber],
  ]);
}

/** Label-value rows with the values in one column (labels may be wide characters). */
export function aligned(ui: Ui, rows: readonly (readonly [string, string])[]): string[] {
  const labels = rows.map(([label]) => ui.texts.labelled(label, ''));
  const column = Math.max(...labels.map(columns));
  return rows.map(([, value], i) => {
    const label = labels[i] ?? '';
    return `${label}${' '.repeat(column - columns(label))}${value}`;
  });
}

/** Terminal columns: two for Hangul and CJK characters. */
function columns(text: string): number {
  return [...text].reduce((n, c) => n + (c >= '\u1100' ? 2 : 1), 0);
}

/** Why a card was not enrolled, for the error line (stderr, in English). */
export function describeFailure(
  result: Exclude<EnrollCardResult, { status: 'installed' }>,
): string {
  switch (result.status) {
    case 'pending':
      return `the request ${result.requestId} is pending.`;
    case 'denied':
      return `the CA denied the request ${result.requestId}: ${result.reason}`;
    case 'pin-required':
      return 'the card has a PIN of its own.';
    case 'pin-incorrect':
      return 'the PIN is not correct.';
    case 'pin-blocked':
      return 'the PIN is blocked.';
    case 'cancelled':
      return `cancelled at ${result.step}.`;
  }
}
