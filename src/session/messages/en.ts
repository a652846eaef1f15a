import type { MessageCatalog } from './catalog.js';

const plurals = new Intl.PluralRules('en');

/** `count` with the English singular or plural noun. */
function count(quantity: number, one: string, other: string): string {
  return `${quantity} ${plurals.select(quantity) === 'one' ? one : other}`;
}

/**
 * The English messages, in the terms of the Lync / Skype for Business client in English (sign-in
 * address, Sign In, Close, Sign out, Exit, Delete my sign-in information, smart card, PIN).
 *
 * @example
 * ```ts
 * import { en } from 'smartcard-2fa/session';
 *
 * declare const attemptsRemaining: number;
 * const warning = en['pin-wrong']({ attemptsRemaining });
 * // 'The PIN is not correct. 2 attempts remaining.' for 2
 * const title = en['sign-out']; // 'Sign out': a plain key is a string
 * console.log(`${title}: ${warning}`);
 * ```
 *
 * @category Client
 */
export const en: MessageCatalog = {
  'sign-in-address-prompt':
    'Enter your sign-in address (this is usually the same as your email address).',
  'sign-in-address-invalid':
    'That is not a valid sign-in address. It usually looks like an email address: check it and try again.',
  'password-prompt': 'Enter your password.',
  'password-wrong': 'The sign-in address or password is not correct. Check them and try again.',
  'sign-in': 'Sign In',

  'smart-card-required': 'Your organization requires a smart card to sign in.',
  'insert-card': 'Insert your smart card into your smart card reader.',
  'card-detected': 'Your smart card was detected. Click OK to continue.',
  'reading-card': 'Reading your smart card…',
  'pin-prompt': 'Type the PIN for your smart card, and then click OK.',
  'pin-wrong': ({ attemptsRemaining }) =>
    `The PIN is not correct. ${count(attemptsRemaining, 'attempt', 'attempts')} remaining.`,
  'pin-wrong-unknown-attempts':
    'The PIN is not correct. Try again: too many wrong PINs will block your smart card.',
  'pin-last-attempt':
    'Warning: you have one attempt left. If this PIN is wrong, your smart card will be blocked.',

  'card-blocked':
    'Your smart card is blocked because a wrong PIN was entered too many times. Unblock it, or go back to the sign-in screen.',
  'unblock-card': 'Unblock the smart card',
  'back-to-sign-in': 'Back to the sign-in screen',
  'unblock-puk-prompt':
    'Enter the PUK (PIN unblocking key) of your smart card. You will then choose a new PIN.',
  'unblock-admin-key-prompt':
    'Enter the administrator key of your smart card, or ask your support person to unblock it. You will then choose a new PIN.',
  'unblock-failed':
    'The smart card could not be unblocked with that key. Check it and try again, or contact your support person.',

  'pin-change-default':
    'Your smart card still uses the default PIN. Choose a new PIN before you sign in.',
  'pin-change-required': 'You must change your PIN before you sign in.',
  'current-pin-prompt': 'Type your current PIN.',
  'new-pin-prompt': 'Type a new PIN.',
  'confirm-pin-prompt': 'Type the new PIN again to confirm it.',
  'pin-mismatch': 'The PINs do not match. Type the same new PIN in both boxes.',
  'pin-changed': 'Your PIN has been changed.',

  'pin-policy-not-a-string': 'The PIN must be text.',
  'pin-policy-too-short': ({ limit }) =>
    `The PIN must have at least ${count(limit, 'character', 'characters')}.`,
  'pin-policy-too-long': ({ limit }) =>
    `The PIN must have at most ${count(limit, 'character', 'characters')}.`,
  'pin-policy-invalid-character': 'The PIN contains a character that is not allowed.',
  'pin-policy-default-pin': 'The new PIN must not be the default PIN.',
  'pin-policy-repeated-character': 'The PIN must not be one character repeated.',
  'pin-policy-sequence': 'The PIN must not be a run such as 1234 or 4321.',
  'pin-policy-same-as-current': 'The new PIN must be different from your current PIN.',

  'signing-in': 'Signing in…',
  'signed-in': 'You are signed in.',
  'sign-in-refused':
    'Sign-in failed. Try again, or contact your support person if the problem continues.',
  'card-not-enrolled':
    'This smart card has no sign-in certificate. Enroll the card, then sign in again.',
  'wrong-card': 'This is not the smart card you signed in with. Insert your own smart card.',
  'server-unavailable':
    'The sign-in server could not be reached. Check your network connection and try again.',
  'timed-out': 'This is taking too long, so it was stopped. Try again.',

  close: 'Close',
  'display-closed':
    'The display is closed. You are still signed in and will keep getting notifications.',
  'restore-display': 'Show the display again',
  'sign-out': 'Sign out',
  'sign-out-effect':
    'Ends your session. The program keeps running and the sign-in window appears again.',
  'delete-sign-in-info': 'Delete my sign-in information',
  'delete-sign-in-info-effect': 'Removes your sign-in address and password from this computer.',
  'delete-sign-in-info-recommended':
    'Before you use your smart card for the first time, select Delete my sign-in information. This clears sign-in information stored on this computer that could cause errors.',
  exit: 'Exit',
  'exit-effect': 'Ends your session and shuts down the program.',

  'card-removed': 'Your smart card was removed. You are still signed in.',
  'card-removed-locked':
    'Your smart card was removed, so the session is locked. Insert your smart card and type your PIN to unlock it.',
  'card-removed-signed-out': 'Your smart card was removed, so you have been signed out.',

  'card-wait-timed-out':
    'No smart card was detected in time. Insert your smart card and try again.',
  cancelled: 'Sign-in was cancelled.',
  'tpm-locked-out': ({ seconds }) =>
    `Too many wrong PINs: the TPM of this computer is locked. Try again in ${count(seconds, 'second', 'seconds')}, or ask your administrator to clear the lockout.`,
  'tpm-unavailable':
    'Your virtual smart card cannot be used: the TPM (Trusted Platform Module) of this computer is not available.',
  'unsupported-environment':
    'You cannot sign in with a smart card here. The page must be served over HTTPS (or from localhost).',
  error:
    'Something went wrong. Try again, or contact your support person if the problem continues.',
};
