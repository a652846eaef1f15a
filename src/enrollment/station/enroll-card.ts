import type { CardInfo, SmartCard } from '../../card/contract/smart-card.js';
import { InvalidInputError, SmartCardError } from '../../errors.js';
import { DEFAULT_PIN } from '../../pin/index.js';
import type { EnrollmentBuilder } from '../request/builder.js';
import type { Disposition, EnrollmentRequest } from '../request/types.js';
import { type CertificateSummary, describeCertificate } from './certificate-info.js';

/**
 * The steps of the enrollment station, in order, as {@link enrollCard} reports them.
 *
 * @example
 * ```ts
 * import type { EnrollmentStep } from 'smartcard-2fa/enrollment';
 *
 * const labels: Record<EnrollmentStep, string> = {
 *   'check-card': 'Checking the card', 'verify-pin': 'Checking the PIN',
 *   'build-request': 'Generating the key set', submit: 'Submitting the request',
 *   confirm: 'Checking your information', install: 'Installing the certificate',
 *   'require-pin-change': 'Marking the PIN for change', done: 'Done',
 * };
 * ```
 *
 * @category Enrollment
 */
export type EnrollmentStep =
  | 'check-card'
  | 'verify-pin'
  | 'build-request'
  | 'submit'
  | 'confirm'
  | 'install'
  | 'require-pin-change'
  | 'done';

/**
 * How {@link enrollCard} enrolls a card.
 *
 * @example
 * ```ts
 * import type { SmartCard } from 'smartcard-2fa/card';
 * import {
 *   type CertificateAuthority,
 *   type EnrollCardOptions,
 *   EnrollmentBuilder,
 *   enrollCard,
 * } from 'smartcard-2fa/enrollment';
 *
 * declare const card: SmartCard;
 * declare const ca: CertificateAuthority;
 * const options: EnrollCardOptions = {
 *   card,
 *   request: EnrollmentBuilder.smartcardUser().upn('alice@contoso.com'),
 *   submit: (request) => ca.issue(request, { requester: 'CONTOSO\\alice' }),
 *   pin: '12345678',
 *   confirmOverwrite: (info) => info.blank || window.confirm(`Replace what ${info.label} holds?`),
 *   onProgress: ({ step }) => console.log(step),
 * };
 * const result = await enrollCard(options);
 * ```
 *
 * @category Enrollment
 */
export interface EnrollCardOptions {
  /** The card, in its reader (physical) or on its device (virtual). */
  readonly card: SmartCard;
  /** The request to make, configured but not built (`EnrollmentBuilder.smartcardUser()…`). */
  readonly request: EnrollmentBuilder;
  /** Sends the request to the CA: `(r) => ca.issue(r, …)` or `(r) => certsrv.submit(r)`. */
  readonly submit: (request: EnrollmentRequest) => Promise<Disposition>;
  /**
   * The card's PIN. Left out, the default PIN 12345678 is tried only on a card that says its PIN
   * is still the default (never guessed on another: that would spend an attempt); otherwise the
   * result is `pin-required`.
   */
  readonly pin?: string;
  /** Mark the PIN for change on first use after enrolling (default), as the station asks. */
  readonly requirePinChange?: boolean;
  /**
   * Asked when the card is not blank: `true` enrolls it anyway and, once the new certificate is
   * installed, deletes the key sets it held before. Without it, a card that is not blank is left
   * alone (`cancelled` at `check-card`).
   */
  readonly confirmOverwrite?: (info: CardInfo) => boolean | Promise<boolean>;
  /** Asked with the issued certificate before it is installed; `false` cancels (default: yes). */
  readonly confirm?: (certificate: CertificateSummary) => boolean | Promise<boolean>;
  /** Called as each step begins. */
  readonly onProgress?: (event: { readonly step: EnrollmentStep }) => void;
}

/**
 * How an enrollment ended. Only `installed` changed the card (and `pending`, which keeps the new
 * key set for the certificate to come); every other ending leaves the card as it was.
 *
 * @example
 * ```ts
 * import type { EnrollCardOptions, EnrollCardResult } from 'smartcard-2fa/enrollment';
 * import { enrollCard } from 'smartcard-2fa/enrollment';
 *
 * declare const options: EnrollCardOptions;
 * const result: EnrollCardResult = await enrollCard(options);
 * switch (result.status) {
 *   case 'installed':
 *     console.log(`Installed in ${result.container}; PIN change: ${result.pinChangeRequired}`);
 *     break;
 *   case 'pin-incorrect':
 *     console.log(`Wrong PIN, ${result.attemptsRemaining ?? 'some'} attempts left.`);
 *     break;
 *   default:
 *     console.log(result.status); // pending, denied, pin-required, pin-blocked, cancelled
 * }
 * ```
 *
 * @category Enrollment
 */
export type EnrollCardResult =
  | {
      readonly status: 'installed';
      readonly requestId: number;
      readonly container: string;
      readonly certificate: Uint8Array<ArrayBuffer>;
      readonly summary: CertificateSummary;
      /** Whether the PIN is now marked for change on first use. */
      readonly pinChangeRequired: boolean;
      /** Old key sets that a confirmed overwrite could not delete. */
      readonly notDeleted: readonly string[];
    }
  | { readonly status: 'pending'; readonly requestId: number; readonly container: string }
  | {
      readonly status: 'denied';
      readonly requestId: number;
      readonly reason: string;
      /** A new key set that could not be deleted again (the card was removed, say). */
      readonly leftover?: string;
    }
  | { readonly status: 'pin-required' }
  | { readonly status: 'pin-incorrect'; readonly attemptsRemaining: number | null }
  | { readonly status: 'pin-blocked' }
  | {
      readonly status: 'cancelled';
      readonly step: 'check-card' | 'confirm';
      /** A new key set that could not be deleted again. */
      readonly leftover?: string;
    };

/**
 * The Smart Card Enrollment Station procedure in one call: check the card is blank (or confirm
 * overwriting it), verify the PIN, generate the key set and build the request on the card, submit
 * it, let the holder confirm the certificate shows their information, install it with its friendly
 * name, and mark the PIN for change on first use. A failure or a refusal at any step leaves the
 * card as it was: the new key set is deleted again. The card session ends when enrollment does (the
 * card is logged out), so the station leaves no authenticated card behind.
 *
 * @example
 * ```ts
 * import { PhysicalSmartCard, SimulatedReader } from 'smartcard-2fa/card';
 * import { EnrollmentBuilder, enrollCard } from 'smartcard-2fa/enrollment';
 *
 * declare const ca: { issue(request: unknown): Promise<import('smartcard-2fa/enrollment').Disposition> };
 * const card = await PhysicalSmartCard.create();
 * new SimulatedReader().insert(card);
 * const result = await enrollCard({
 *   card,
 *   request: EnrollmentBuilder.smartcardUser().upn('alice@contoso.com').email('alice@contoso.com'),
 *   submit: (request) => ca.issue(request),
 *   onProgress: ({ step }) => console.log(step),
 * });
 * ```
 *
 * @category Enrollment
 */
export async function enrollCard(options: EnrollCardOptions): Promise<EnrollCardResult> {
  const { card, request, submit } = options;
  if (typeof card?.info !== 'function' || typeof submit !== 'function' || request === undefined) {
    throw new InvalidInputError('enrollCard takes { card, request, submit }.');
  }
  try {
    return await enroll(options);
  } finally {
    await card.logout().catch(() => undefined);
  }
}

async function enroll(options: EnrollCardOptions): Promise<EnrollCardResult> {
  const { card, request, submit } = options;
  const step = (s: EnrollmentStep) => options.onProgress?.({ step: s });

  step('check-card');
  const info = await card.info();
  const previous = (await card.containers()).map((c) => c.name);
  if (!info.blank && !(await options.confirmOverwrite?.(info))) {
    return { status: 'cancelled', step: 'check-card' };
  }

  step('verify-pin');
  if (options.pin === undefined && info.pin.isDefault !== true) return { status: 'pin-required' };
  const verified = await card.verifyPin(options.pin ?? DEFAULT_PIN);
  if (verified.status === 'incorrect') {
    return { status: 'pin-incorrect', attemptsRemaining: verified.attemptsRemaining };
  }
  if (verified.status === 'blocked') return { status: 'pin-blocked' };

  step('build-request');
  const built = await request.build(card);
  const created = previous.includes(built.container) ? undefined : built.container;
  /** Deletes the new key set; the name of what could not be deleted, if anything. */
  const undo = async (): Promise<{ leftover?: string }> => {
    if (created === undefined) return {};
    try {
      await card.deleteContainer(created);
      return {};
    } catch {
      return { leftover: created };
    }
  };
  let installed: Omit<Extract<EnrollCardResult, { status: 'installed' }>, 'notDeleted'>;
  try {
    step('submit');
    const disposition = await submit(built);
    if (disposition.status === 'pending') {
      return { status: 'pending', requestId: disposition.requestId, container: built.container };
    }
    if (disposition.status === 'denied') {
      const { requestId, reason } = disposition;
      return { status: 'denied', requestId, reason, ...(await undo()) };
    }
    step('confirm');
    const summary = describeCertificate(disposition.certificate);
    if (options.confirm !== undefined && !(await options.confirm(summary))) {
      return { status: 'cancelled', step: 'confirm', ...(await undo()) };
    }
    step('install');
    await card.installCertificate(
      built.container,
      disposition.certificate,
      built.friendlyName === undefined ? {} : { friendlyName: built.friendlyName },
    );
    const markPin = (options.requirePinChange ?? true) && 'requirePinChange' in card;
    if (markPin) {
      step('require-pin-change');
      await (card as SmartCard & { requirePinChange(): Promise<void> }).requirePinChange();
    }
    installed = {
      status: 'installed',
      requestId: disposition.requestId,
      container: built.container,
      certificate: disposition.certificate,
      summary,
      pinChangeRequired: markPin,
    };
  } catch (error) {
    // Issued, but the certificate could not be fetched: keep the key set for `retrieve`.
    const issuedElsewhere =
      SmartCardError.is(error, 'ERR_CA_UNAVAILABLE') && error.requestId !== undefined;
    if (!issuedElsewhere) await undo();
    throw error;
  }
  // Only now that the new certificate is in place: the key sets the holder agreed to replace.
  const notDeleted: string[] = [];
  if (!info.blank) {
    for (const name of previous.filter((n) => n !== built.container)) {
      await card.deleteContainer(name).catch(() => notDeleted.push(name));
    }
  }
  step('done');
  return { ...installed, notDeleted };
}
