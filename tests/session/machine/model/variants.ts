/**
 * The ten machines the model walks (see the header of model.test.ts) and the stubs they are made
 * with: cards, reader, server, sign-in info store, password check; the addresses signed in with.
 */
import type { CardKind, SmartCard } from '../../../../src/card/contract/smart-card.js';
import type {
  CardSource,
  SignInMachineOptions,
  SignInServer,
} from '../../../../src/session/index.js';
import type { SignInInfoStore } from '../../../../src/session/sign-in-info/store.js';

export const CARD_WAIT_MS = 7_000;
export const OPERATION_MS = 3_000;

export const ADDRESS = 'alice@example.com';
export const STORED_ADDRESS = 'bob@example.com';

// ---------------------------------------------------------------------------------------------
// Stubs: nothing here is called by the traversal; live runs replace every actor.

function stubCard(id: string, kind: CardKind): SmartCard {
  const unused = () => Promise.reject(new Error(`stub card ${id}: not used by the model`));
  return {
    id,
    kind,
    info: unused,
    pinStatus: unused,
    verifyPin: unused,
    changePin: unused,
    unblockPin: unused,
    logout: () => Promise.resolve(),
    generateKeyPair: unused,
    containers: unused,
    sign: unused,
    decrypt: unused,
    installCertificate: unused,
    certificate: unused,
    deleteContainer: unused,
    reset: unused,
  };
}

export const OUR_CARD = stubCard('card-ours', 'physical');
export const OTHER_CARD = stubCard('card-other', 'physical');
export const VIRTUAL_CARD = stubCard('card-virtual', 'virtual');

const reader: CardSource = { card: null, on: () => () => undefined };
const server: SignInServer = {
  challenge: () => Promise.reject(new Error('not used by the model')),
  verify: () => Promise.reject(new Error('not used by the model')),
};
const store: SignInInfoStore = {
  load: () => Promise.resolve(undefined),
  save: () => Promise.resolve(),
  delete: () => Promise.resolve(),
};
const verifyPassword: NonNullable<SignInMachineOptions['verifyPassword']> = async () => ({
  verified: false,
});

export interface Variant {
  readonly name: string;
  readonly options: SignInMachineOptions;
}

const timeouts = { cardWaitTimeoutMs: CARD_WAIT_MS, operationTimeoutMs: OPERATION_MS } as const;

export const VARIANTS: readonly Variant[] = [
  { name: 'password', options: { method: 'password', verifyPassword, ...timeouts } },
  {
    name: 'password, store, lock',
    options: {
      method: 'password',
      verifyPassword,
      signInInfo: store,
      removal: 'lock',
      ...timeouts,
    },
  },
  ...(['no-action', 'lock', 'sign-out'] as const).flatMap((removal): Variant[] => [
    {
      name: `reader, ${removal}`,
      options: { method: 'smart-card', reader, server, removal, ...timeouts },
    },
    {
      name: `reader, store, ${removal}`,
      options: { method: 'smart-card', reader, server, removal, signInInfo: store, ...timeouts },
    },
  ]),
  {
    name: 'virtual card, store, lock',
    options: {
      method: 'smart-card',
      card: VIRTUAL_CARD,
      server,
      removal: 'lock',
      signInInfo: store,
      ...timeouts,
    },
  },
  {
    name: 'virtual card, sign-out',
    options: { method: 'smart-card', card: VIRTUAL_CARD, server, removal: 'sign-out', ...timeouts },
  },
];
