/**
 * The first half of the walk-through: the embedded CA, and the AD CS Smartcard User enrollment
 * station that puts a certificate on Alice's blank card (default PIN, PIN change forced on first
 * use). With `--state`, a card enrolled by an earlier run is opened instead.
 */
import { DEFAULT_PIN, SmartCardError } from 'smartcard-2fa';
import {
  PhysicalSmartCard,
  type SmartCard,
  SoftwareTpm,
  VirtualSmartCard,
} from 'smartcard-2fa/card';
import {
  CertificateAuthority,
  type EnrollCardResult,
  type EnrollmentStep,
  enrollCard,
} from 'smartcard-2fa/enrollment';
import { message } from 'smartcard-2fa/session';
import type { DemoOptions } from './args.js';
import { pinFormat, pinRulesLine } from './pin-rules.js';
import type { DemoState, EnrolledCard } from './state.js';
import {
  ALICE,
  aligned,
  blankCard,
  describeCertificate,
  describeFailure,
  requestForm,
  showForm,
} from './station.js';
import { DemoCancelled, type Progress, type Ui } from './ui.js';

/** What the sign-in half needs: the card, and the CA certificates the server trusts. */
export interface ReadyCard {
  readonly card: SmartCard;
  /** A physical card, out of any reader: the sign-in inserts it into the laptop's reader. */
  readonly physical: PhysicalSmartCard | undefined;
  /** Whether this run enrolled it (its PIN is the default, to be changed at sign-in). */
  readonly enrolledNow: boolean;
  /** Whether it has never signed in: the advice to delete stored sign-in information applies. */
  readonly firstUse: boolean;
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
  const texts = ui.texts;
  ui.section(texts.alreadyEnrolled);
  const day = saved.enrolledAt.slice(0, 10);
  ui.success(texts.foundCard(texts.card[options.card], saved.serial, day, state.directory ?? ''));
  ui.note(
    texts.itsCertificate,
    aligned(ui, [
      [texts.certificate.subject, saved.subject],
      [texts.certificate.upn, saved.upn],
      [texts.validTo, saved.notAfter.slice(0, 10)],
    ]),
  );
  if (options.card === 'physical') {
    const card = await PhysicalSmartCard.open(state.cards, saved.serial);
    return { card, physical: card, enrolledNow: false, firstUse: saved.firstUsedAt === undefined };
  }
  if (saved.deviceId === undefined) throw new Error('demo.json: the virtual card has no TPM.');
  const tpm = await SoftwareTpm.open(state.tpm, saved.deviceId);
  const card = await VirtualSmartCard.open(tpm, state.cards, saved.serial);
  ui.info(texts.unsealed(saved.deviceId));
  return {
    card,
    physical: undefined,
    enrolledNow: false,
    firstUse: saved.firstUsedAt === undefined,
  };
}

async function enrollNew(ui: Ui, options: DemoOptions, state: DemoState): Promise<ReadyCard> {
  const texts = ui.texts;
  ui.section(texts.caSection);
  const making = ui.progress(texts.caCreating);
  const ca = await CertificateAuthority.create({
    name: 'Contoso Root CA',
    issuing: { name: 'Contoso Issuing CA' },
    directory: [ALICE],
  });
  making.stop(texts.caCreated);
  if (state.directory !== undefined && Object.keys(state.manifest.cards).length > 0) {
    ui.info(texts.caReplaced);
  }

  ui.section(texts.stationSection);
  ui.info(texts.loggedOn(ALICE.account));
  const form = requestForm(options);
  showForm(ui, options);

  const { card, physical } = await blankCard(ui, options, state);
  ui.info(pinRulesLine(texts));
  let pin = await askPin(ui, options);
  const force = await ui.confirm({ message: texts.forceChange, auto: true });

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
          spinner = ui.progress(texts.generating);
        } else if (step === 'submit') {
          generated = ((performance.now() - generating) / 1000).toFixed(1);
          spinner?.message(texts.submitting(generated));
        } else if (spinner !== undefined && shownStep(ui, step) !== undefined) {
          spinner.message(shownStep(ui, step) ?? '');
        }
      },
      confirm: async (certificate) => {
        spinner?.stop(texts.issued(generated));
        spinner = undefined;
        ui.note(texts.theCertificate, describeCertificate(ui, certificate));
        const yes = await ui.confirm({
          message: texts.confirmCertificate,
          auto: true,
          yes: texts.ok,
          no: texts.cancel,
        });
        if (yes) spinner = ui.progress(texts.installing);
        return yes;
      },
    });
  let result: EnrollCardResult;
  for (;;) {
    let problem: string;
    try {
      result = await enroll();
      if (result.status !== 'pin-incorrect') break;
      const left = result.attemptsRemaining;
      problem =
        left === null
          ? message('pin-wrong-unknown-attempts', options.locale).text
          : message('pin-wrong', options.locale, { attemptsRemaining: left }).text;
    } catch (error) {
      // The field already refuses a PIN of the wrong format; the card's policy has the last word.
      if (!SmartCardError.is(error, 'ERR_PIN_POLICY')) throw error;
      problem = error.message;
    }
    if (!ui.interactive) throw new Error(`The scripted PIN was refused: ${problem}`);
    ui.warn(`${problem} ${texts.noPinAssigned(DEFAULT_PIN)}`);
    pin = await askPin(ui, options);
  }
  if (result.status === 'cancelled') throw new DemoCancelled();
  if (result.status !== 'installed') {
    spinner?.fail(texts.notEnrolled);
    throw new Error(`The card was not enrolled: ${describeFailure(result)}`);
  }
  spinner?.stop(texts.installed(result.requestId));
  ui.success(texts.enrolled(texts.card[card.kind], card.id, result.pinChangeRequired));
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
  if (state.directory !== undefined) ui.info(texts.saved(state.directory));
  return { card, physical: physical?.card, enrolledNow: true, firstUse: true };
}

/** The station's steps after the certificate is confirmed, as the spinner shows them. */
function shownStep(ui: Ui, step: EnrollmentStep): string | undefined {
  return step === 'require-pin-change' ? ui.texts.markingPin : undefined;
}

/**
 * "When prompted, enter your PIN": the default 12345678 unless support gave another. A PIN of
 * the wrong length or characters is refused at the field, before the next question.
 */
function askPin(ui: Ui, options: DemoOptions): Promise<string> {
  return ui.password({
    message: ui.texts.stationPin(DEFAULT_PIN),
    validate: pinFormat(options.locale),
    auto: DEFAULT_PIN,
  });
}
