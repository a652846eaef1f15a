/**
 * The first half of the seed documents: the embedded CA, and the enrollment station that puts a
 * Smartcard User certificate on Alice's blank card (default PIN, PIN change forced on first use).
 * With `--state`, a card enrolled by an earlier run is opened instead.
 */
import { DEFAULT_PIN, SmartCardError } from 'smartcard-2fa';
import {
  PhysicalSmartCard,
  SimulatedReader,
  type SmartCard,
  SoftwareTpm,
  VirtualSmartCard,
} from 'smartcard-2fa/card';
import {
  CertificateAuthority,
  type CertificateSummary,
  type DirectoryEntry,
  type EnrollCardResult,
  EnrollmentBuilder,
  type EnrollmentStep,
  enrollCard,
} from 'smartcard-2fa/enrollment';
import type { DemoOptions } from './args.js';
import type { DemoState, EnrolledCard } from './state.js';
import { DemoCancelled, type Progress, type Ui } from './ui.js';

/** The directory the CA takes the certificate's subject, UPN and e-mail from. */
export const ALICE = {
  account: 'CONTOSO\\alice',
  commonName: 'Alice Example',
  upn: 'alice@contoso.com',
  email: 'alice@contoso.com',
  organizationalUnits: ['Users', 'Corp'],
  domainComponents: ['contoso', 'com'],
} as const satisfies DirectoryEntry;

/** What the sign-in half needs: the card, and the CA certificates the server trusts. */
export interface ReadyCard {
  readonly card: SmartCard;
  /** A physical card, out of any reader: the sign-in inserts it into the laptop's reader. */
  readonly physical: PhysicalSmartCard | undefined;
  /** Whether this run enrolled it (its PIN is the default, to be changed at sign-in). */
  readonly enrolledNow: boolean;
}

/** Opens the card an earlier run enrolled, or makes a CA and enrolls a new one. */
export async function prepareCard(
  ui: Ui,
  options: DemoOptions,
  state: DemoState,
): Promise<ReadyCard> {
  const saved = state.manifest.cards[options.card];
  if (saved !== undefined) return openEnrolled(ui, options, state, saved);
  return enrollNew(ui, options, state);
}

async function openEnrolled(
  ui: Ui,
  options: DemoOptions,
  state: DemoState,
  saved: EnrolledCard,
): Promise<ReadyCard> {
  ui.section('Enrollment: already done');
  ui.success(
    `Found the ${options.card} card ${saved.serial}, enrolled on ${saved.enrolledAt.slice(0, 10)} by an earlier run, in ${state.directory}: skipping enrollment.`,
  );
  ui.note('Its certificate', [
    `Subject:  ${saved.subject}`,
    `UPN:      ${saved.upn}`,
    `Valid to: ${saved.notAfter.slice(0, 10)}`,
  ]);
  if (options.card === 'physical') {
    const card = await PhysicalSmartCard.open(state.cards, saved.serial);
    return { card, physical: card, enrolledNow: false };
  }
  if (saved.deviceId === undefined) throw new Error('demo.json: the virtual card has no TPM.');
  const tpm = await SoftwareTpm.open(state.tpm, saved.deviceId);
  const card = await VirtualSmartCard.open(tpm, state.cards, saved.serial);
  ui.info(`The virtual card is unsealed by this computer's TPM (device ${saved.deviceId}).`);
  return { card, physical: undefined, enrolledNow: false };
}

async function enrollNew(ui: Ui, options: DemoOptions, state: DemoState): Promise<ReadyCard> {
  ui.section('The certificate authority');
  const making = ui.progress('Creating the embedded CA: RSA-2048 root and issuing CA keys…');
  const ca = await CertificateAuthority.create({
    name: 'Contoso Root CA',
    issuing: { name: 'Contoso Issuing CA' },
    directory: [ALICE],
  });
  making.stop('Contoso Root CA → Contoso Issuing CA, answering as AD CS does (certsrv)');
  if (state.directory !== undefined && Object.keys(state.manifest.cards).length > 0) {
    ui.info(
      'A new CA: the embedded CA cannot save its keys, so the earlier CA is gone; its certificates stay trusted for the cards it issued.',
    );
  }

  ui.section('Enrollment station');
  ui.info(
    `Logged on to https://ca.contoso.com/certsrv as ${ALICE.account}: Request a certificate → Advanced Request → Create and submit a request to this CA.`,
  );
  const form = requestForm(options);
  ui.note('Smart Card Enrollment Station', [
    'Certificate Template: Smartcard User',
    'Key set:              Create new key set',
    'CSP:                  Microsoft Base Smart Card Crypto Provider',
    'Key usage, size:      Exchange, 2048',
    `Request format:       ${options.format === 'cmc' ? 'CMC' : 'PKCS #10'}`,
    'Hash algorithm:       sha1',
    'Friendly name:        Smartcard Certificate',
  ]);

  const { card, physical } = await blankCard(ui, options, state);
  let pin = await askPin(ui);
  const force = await ui.confirm({
    message: 'Force the user to change the PIN the first time the smart card is used?',
    auto: true,
  });

  let spinner: Progress | undefined;
  let generating = 0;
  let generated = '';
  const enroll = () =>
    enrollCard({
      card,
      request: form,
      pin,
      requirePinChange: force,
      submit: (request) => ca.issue(request, { requester: ALICE.account }),
      onProgress: ({ step }) => {
        if (step === 'build-request') {
          generating = performance.now();
          spinner = ui.progress('Generating an RSA-2048 key pair on the card…');
        } else if (step === 'submit') {
          generated = ((performance.now() - generating) / 1000).toFixed(1);
          spinner?.message(`Key generated on the card in ${generated} s; submitting the request…`);
        } else if (spinner !== undefined && SHOWN_STEPS[step] !== undefined) {
          spinner.message(SHOWN_STEPS[step]);
        }
      },
      confirm: async (certificate) => {
        spinner?.stop(
          `RSA-2048 key generated on the card in ${generated} s; the CA issued a certificate`,
        );
        spinner = undefined;
        ui.note('The certificate', describe(certificate));
        const yes = await ui.confirm({
          message: 'Click OK to confirm that the certificate displayed has your information on it.',
          auto: true,
          yes: 'OK',
          no: 'Cancel',
        });
        if (yes) spinner = ui.progress('Installing the certificate…');
        return yes;
      },
    });
  let result: EnrollCardResult;
  for (;;) {
    let problem: string;
    try {
      result = await enroll();
      if (result.status !== 'pin-incorrect') break;
      const left = result.attemptsRemaining ?? 'an unknown number of';
      problem = `The PIN is not correct: ${left} attempts left.`;
    } catch (error) {
      // A PIN the card's policy cannot accept (too short, say) is refused before it is tried.
      if (!SmartCardError.is(error, 'ERR_PIN_POLICY')) throw error;
      problem = error.message;
    }
    if (!ui.interactive) throw new Error(`The scripted PIN was refused: ${problem}`);
    ui.warn(`${problem} No PIN assigned? The default PIN is ${DEFAULT_PIN}.`);
    pin = await askPin(ui);
  }
  if (result.status === 'cancelled') throw new DemoCancelled();
  if (result.status !== 'installed') {
    spinner?.fail('Not enrolled');
    throw new Error(`The card was not enrolled: ${describeFailure(result)}`);
  }
  spinner?.stop(`Certificate installed (request ${result.requestId})`);
  ui.success(
    `The certificate has been issued and installed on the ${card.kind} card ${card.id}.` +
      (result.pinChangeRequired ? ' The PIN must be changed at first use.' : ''),
  );
  physical?.reader?.remove();

  await state.recordEnrollment(
    options.card,
    {
      serial: card.id,
      ...(card instanceof VirtualSmartCard ? { deviceId: card.deviceId } : {}),
      container: result.container,
      subject: result.summary.subject,
      upn: result.summary.upn ?? '',
      notAfter: result.summary.notAfter.toISOString(),
      enrolledAt: new Date().toISOString(),
    },
    { createdAt: new Date().toISOString(), root: ca.pem.root, issuer: ca.pem.issuer },
  );
  if (state.directory !== undefined)
    ui.info(`Saved the card and the CA certificates in ${state.directory}.`);
  return { card, physical: physical?.card, enrolledNow: true };
}

/** The station's steps after the certificate is confirmed, as the spinner shows them. */
const SHOWN_STEPS: Partial<Record<EnrollmentStep, string>> = {
  'require-pin-change': 'Marking the PIN for change on first use…',
};

/** The seed documents' form; `--format pkcs10` changes the request format and nothing else. */
function requestForm(options: DemoOptions): EnrollmentBuilder {
  const form =
    options.format === 'cmc'
      ? EnrollmentBuilder.seedDocuments()
      : new EnrollmentBuilder()
          .template('SmartcardUser')
          .newKeySet()
          .provider('Microsoft Base Smart Card Crypto Provider')
          .keySpec('exchange')
          .keySize(2048)
          .format('pkcs10')
          .hash('SHA-1')
          .friendlyName('Smartcard Certificate');
  return form.upn(ALICE.upn).email(ALICE.email);
}

/** A blank card: a physical one in the station's reader, or a new virtual card on the TPM. */
async function blankCard(
  ui: Ui,
  options: DemoOptions,
  state: DemoState,
): Promise<{
  card: SmartCard;
  physical: { card: PhysicalSmartCard; reader: SimulatedReader } | undefined;
}> {
  if (options.card === 'physical') {
    const card = await PhysicalSmartCard.create({ label: 'Alice', store: state.cards });
    const reader = new SimulatedReader('Enrollment station');
    const insert = await ui.confirm({
      message: `Insert your blank smart card (${card.id}) into the card reader attached to the enrollment station, and click Enroll.`,
      auto: true,
      yes: 'Enroll',
      no: 'Cancel',
    });
    if (!insert) throw new DemoCancelled();
    reader.insert(card);
    ui.info(`The card ${card.id} is in the reader "${reader.name}".`);
    return { card, physical: { card, reader } };
  }
  const tpm = await SoftwareTpm.create({ store: state.tpm });
  const card = await VirtualSmartCard.create({
    tpm,
    name: 'Alice',
    pin: 'default',
    store: state.cards,
  });
  ui.info(
    `A virtual smart card ${card.id} on this computer's TPM (device ${tpm.deviceId}), as \`tpmvscmgr create /name Alice /pin default\` makes it: nothing to insert.`,
  );
  return { card, physical: undefined };
}

/** "When prompted, enter your PIN": the default 12345678 unless support gave another. */
function askPin(ui: Ui): Promise<string> {
  return ui.password({
    message: `Enter the smart card's PIN (none assigned? the default is ${DEFAULT_PIN}), then OK.`,
    auto: DEFAULT_PIN,
  });
}

function describe(certificate: CertificateSummary): string[] {
  const day = (date: Date) => date.toISOString().slice(0, 10);
  return [
    `Subject:  ${certificate.subject}`,
    `Issuer:   ${certificate.issuer}`,
    `UPN:      ${certificate.upn ?? '(none)'}`,
    `E-mail:   ${certificate.email ?? '(none)'}`,
    `EKUs:     ${certificate.extendedKeyUsages.join(', ')}`,
    `Validity: ${day(certificate.notBefore)} to ${day(certificate.notAfter)}`,
    `Serial:   ${certificate.serialNumber}`,
  ];
}

function describeFailure(result: Exclude<EnrollCardResult, { status: 'installed' }>): string {
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
