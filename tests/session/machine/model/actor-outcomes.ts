/**
 * How the invoked actors may end, as the traversal offers it: the outputs of each actor's done
 * event, and the errors any actor may fail with.
 */
import type { OutputFrom } from 'xstate';
import { CardRemovedError, PinPolicyError, TpmLockoutError } from '../../../../src/errors.js';
import type { Notice, SignInActors } from '../../../../src/session/index.js';
import { ADDRESS, STORED_ADDRESS } from './variants.js';

export type ActorId = keyof SignInActors;

const USER = { address: ADDRESS, name: 'Alice' };
const unblockCredentials = (kind: 'puk' | 'admin-key', blocked: boolean) => ({
  kind,
  attemptsRemaining: blocked ? 0 : 3,
  maxAttempts: 3,
  blocked,
});
const reading = (fields: Partial<OutputFrom<SignInActors['readCard']>>) => ({
  attemptsRemaining: 3,
  maxAttempts: 5,
  blocked: false,
  mustChange: false,
  isDefault: false,
  unblock: [unblockCredentials('puk', false)],
  ...fields,
});
const NEW_PIN_OUTCOMES: readonly (readonly [string, OutputFrom<SignInActors['changePin']>])[] = [
  ['done', { status: 'done' }],
  ['mismatch', { status: 'mismatch' }],
  [
    'policy',
    {
      status: 'policy',
      violations: [
        { key: 'pin-policy-too-short', params: { limit: 6 } },
        { key: 'pin-policy-sequence' },
      ] satisfies Notice[],
    },
  ],
  ['policy, none listed', { status: 'policy', violations: [] }],
  ['incorrect 2', { status: 'incorrect', attemptsRemaining: 2 }],
  ['incorrect ?', { status: 'incorrect', attemptsRemaining: null }],
  ['blocked', { status: 'blocked' }],
];

/** The outputs each actor's done event is offered with; actors missing here never finish. */
export const DONE_OUTPUTS: { readonly [K in ActorId]?: readonly (readonly [string, unknown])[] } = {
  loadSignInInfo: [
    ['stored', { address: STORED_ADDRESS }],
    ['nothing', undefined],
  ],
  deleteSignInInfo: [['done', undefined]],
  rememberSignIn: [['done', undefined]],
  verifyPassword: [
    ['verified', { verified: true, user: USER }],
    ['wrong', { verified: false }],
  ],
  readCard: [
    ['blocked, PUK', reading({ blocked: true, attemptsRemaining: 0 })],
    [
      'blocked, admin key',
      reading({
        blocked: true,
        attemptsRemaining: 0,
        unblock: [unblockCredentials('puk', true), unblockCredentials('admin-key', false)],
      }),
    ],
    [
      'blocked, no way out',
      reading({ blocked: true, attemptsRemaining: 0, unblock: [unblockCredentials('puk', true)] }),
    ],
    ['must change, default', reading({ mustChange: true, isDefault: true })],
    ['must change', reading({ mustChange: true, isDefault: null })],
    ['normal', reading({})],
    ['normal, no unblock', reading({ attemptsRemaining: null, unblock: [] })],
  ],
  verifyPin: [
    ['verified', { status: 'verified', mustChange: false }],
    ['verified, must change', { status: 'verified', mustChange: true }],
    ['incorrect 2', { status: 'incorrect', attemptsRemaining: 2 }],
    ['incorrect 1', { status: 'incorrect', attemptsRemaining: 1 }],
    ['incorrect ?', { status: 'incorrect', attemptsRemaining: null }],
    ['blocked', { status: 'blocked' }],
  ],
  changePin: NEW_PIN_OUTCOMES,
  unblockPin: NEW_PIN_OUTCOMES,
  authenticate: [
    ['verified', { verified: true, user: USER }],
    ['refused', { verified: false, reason: 'wrong-user' }],
    ['not enrolled', { verified: false, reason: 'card-not-enrolled' }],
  ],
  endSession: [['done', undefined]],
};

export const ERRORS: readonly (readonly [string, () => Error])[] = [
  ['card removed', () => new CardRemovedError('The card was removed.')],
  ['TPM lockout', () => new TpmLockoutError('The TPM is locked out.', 20_000)],
  [
    'PIN policy',
    () => new PinPolicyError('Refused.', [{ code: 'sequence', message: 'A sequence.' }]),
  ],
  ['plain', () => new Error('Something failed.')],
];
