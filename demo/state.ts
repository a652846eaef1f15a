/**
 * Where the demo keeps what a second run needs. Without `--state`, everything is in memory and
 * gone at exit. With `--state <dir>`:
 *
 * - `<dir>/cards/`: the cards' state, a `FileStore` (`card-<serial>` for a physical card,
 *   `vsc-<serial>` for a virtual card, sealed by the TPM);
 * - `<dir>/tpm/`: the software TPM's record (`tpm-<deviceId>`), a `FileStore`;
 * - `<dir>/sign-in/`: the remembered sign-in address (`sign-in-info`, JSON `{ "address" }`), a
 *   `FileStore` behind a `CardStoreSignInInfoStore`; "Delete my sign-in information" deletes it;
 * - `<dir>/demo.json`: the manifest, plain JSON: which card of each kind was enrolled (serial,
 *   TPM device id, key container, the certificate's subject, UPN and validity, when it first
 *   signed in), and the certificates (PEM) of every embedded CA a run created, which the
 *   sign-in server trusts.
 *
 * The embedded CA's private keys are not kept: `CertificateAuthority` makes non-extractable
 * keys and has no way to save or load itself. Signing in needs only its certificates, so a run
 * that finds its card enrolled does not need the CA at all; a run that must enroll a card makes
 * a new CA, and its certificates join the trusted list.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { type CardStore, MemoryStore } from 'smartcard-2fa/card';
import { FileStore } from 'smartcard-2fa/node';
import {
  CardStoreSignInInfoStore,
  MemorySignInInfoStore,
  type SignInInfoStore,
} from 'smartcard-2fa/session';
import type { CardChoice } from './args.js';

const FORMAT = 'smartcard-2fa-demo/1';

/** A card an earlier run enrolled. */
export interface EnrolledCard {
  readonly serial: string;
  /** A virtual card's TPM. */
  readonly deviceId?: string;
  readonly container: string;
  readonly subject: string;
  readonly upn: string;
  readonly notAfter: string;
  readonly enrolledAt: string;
  /** When it first signed in; left out before its first use. */
  readonly firstUsedAt?: string;
}

/** The certificates of a CA a run created, PEM. */
export interface TrustedCa {
  readonly createdAt: string;
  readonly root: string;
  readonly issuer: string;
}

export interface Manifest {
  readonly format: typeof FORMAT;
  readonly trustedCas: TrustedCa[];
  readonly cards: { physical?: EnrolledCard; virtual?: EnrolledCard };
}

export interface DemoState {
  /** The state directory's absolute path; `undefined` in memory. */
  readonly directory: string | undefined;
  readonly cards: CardStore;
  readonly tpm: CardStore;
  readonly signInInfo: SignInInfoStore;
  readonly manifest: Manifest;
  /** Records an enrolled card and the CA that issued it, and saves the manifest. */
  recordEnrollment(kind: CardChoice, card: EnrolledCard, ca: TrustedCa): Promise<void>;
  /** Records that the card of `kind` signed in for the first time, and saves the manifest. */
  recordFirstUse(kind: CardChoice): Promise<void>;
}

/** Opens (creating it if needed) the state directory, or makes in-memory state. */
export async function openState(directory: string | undefined): Promise<DemoState> {
  if (directory === undefined) {
    const manifest = emptyManifest();
    return {
      directory: undefined,
      cards: new MemoryStore(),
      tpm: new MemoryStore(),
      signInInfo: new MemorySignInInfoStore(),
      manifest,
      recordEnrollment: async (kind, card, ca) => record(manifest, kind, card, ca),
      recordFirstUse: async (kind) => recordUse(manifest, kind),
    };
  }
  const root = resolve(directory);
  await mkdir(root, { recursive: true, mode: 0o700 });
  const manifestPath = join(root, 'demo.json');
  const manifest = await loadManifest(manifestPath);
  const signIn = await FileStore.open(join(root, 'sign-in'));
  return {
    directory: root,
    cards: await FileStore.open(join(root, 'cards')),
    tpm: await FileStore.open(join(root, 'tpm')),
    signInInfo: new CardStoreSignInInfoStore(signIn),
    manifest,
    recordEnrollment: async (kind, card, ca) => {
      record(manifest, kind, card, ca);
      await save(manifestPath, manifest);
    },
    recordFirstUse: async (kind) => {
      recordUse(manifest, kind);
      await save(manifestPath, manifest);
    },
  };
}

async function save(path: string, manifest: Manifest): Promise<void> {
  const temp = `${path}.tmp`;
  await writeFile(temp, `${JSON.stringify(manifest, null, 2)}\n`, { mode: 0o600 });
  await rename(temp, path);
}

function emptyManifest(): Manifest {
  return { format: FORMAT, trustedCas: [], cards: {} };
}

function record(manifest: Manifest, kind: CardChoice, card: EnrolledCard, ca: TrustedCa): void {
  if (!manifest.trustedCas.some((known) => known.root === ca.root)) manifest.trustedCas.push(ca);
  manifest.cards[kind] = card;
}

function recordUse(manifest: Manifest, kind: CardChoice): void {
  const card = manifest.cards[kind];
  if (card !== undefined && card.firstUsedAt === undefined) {
    manifest.cards[kind] = { ...card, firstUsedAt: new Date().toISOString() };
  }
}

async function loadManifest(path: string): Promise<Manifest> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyManifest();
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<Manifest> | null;
  if (parsed?.format !== FORMAT || !Array.isArray(parsed.trustedCas) || !parsed.cards) {
    throw new Error(`${path} is not a demo state file (${FORMAT}): use another --state directory.`);
  }
  return parsed as Manifest;
}
