/**
 * The invariants checked on every snapshot reached (a route; prompt and notices with text in
 * every locale; no secret anywhere), and the busy states known to take no CANCEL.
 */
import { inspect } from 'node:util';
import type { SmartCard } from '../../../../src/card/contract/smart-card.js';
import {
  type Locale,
  message,
  type SignInRoute,
  viewSignIn,
} from '../../../../src/session/index.js';
import { findSecret, holdsSecretObject, SECRETS } from './secrets.js';
import type { Snap } from './snapshot-types.js';

const LOCALES: readonly Locale[] = ['en', 'ko-KR', 'zh-TW'];
const ROUTES: ReadonlySet<SignInRoute> = new Set<SignInRoute>([
  'sign-in',
  'password',
  'insert-card',
  'card-detected',
  'pin',
  'change-pin',
  'card-blocked',
  'unblock',
  'signing-in',
  'signed-in',
  'locked',
  'signing-out',
  'exiting',
  'exited',
]);

const localize = message as (key: string, locale: Locale, params?: unknown) => { text: string };

function hasRouteMeta(snapshot: Snap): boolean {
  return Object.values(snapshot.getMeta()).some(
    (meta) => typeof meta === 'object' && meta !== null && 'route' in meta && 'prompt' in meta,
  );
}

function contextJson(snapshot: Snap): string {
  return JSON.stringify(snapshot.context, (key, value: unknown) =>
    key === 'card' && value !== null && typeof value === 'object'
      ? { id: (value as SmartCard).id, kind: (value as SmartCard).kind }
      : value,
  );
}

export function describeSnapshot(snapshot: Snap): string {
  return `${JSON.stringify(snapshot.value)} (${snapshot.status})`;
}

/** The problems of one snapshot, as sentences (empty when none). */
export function snapshotProblems(snapshot: Snap, deep: boolean): string[] {
  const problems: string[] = [];
  const where = describeSnapshot(snapshot);
  // A failed machine (an actor failure nothing handles) is the subject of its own test.
  if (snapshot.status === 'error') return problems;
  if (snapshot.status === 'active' && !hasRouteMeta(snapshot)) {
    problems.push(`${where}: no state node declares a route`);
  }
  const view = viewSignIn(snapshot);
  if (!ROUTES.has(view.route)) problems.push(`${where}: unknown route ${view.route}`);
  for (const locale of LOCALES) {
    if (localize(view.prompt.key, locale).text.trim() === '') {
      problems.push(`${where}: empty prompt ${view.prompt.key} in ${locale}`);
    }
    const notices = [
      ...(snapshot.context.notice === null ? [] : [snapshot.context.notice]),
      ...snapshot.context.violations,
    ];
    for (const notice of notices) {
      if (localize(notice.key, locale, notice.params).text.trim() === '') {
        problems.push(`${where}: empty notice ${notice.key} in ${locale}`);
      }
    }
  }
  if (holdsSecretObject(snapshot.context)) problems.push(`${where}: a Secret in the context`);
  const json = contextJson(snapshot);
  if (SECRETS.some((s) => json.includes(s))) problems.push(`${where}: a secret in the context`);
  if (deep) {
    const found = findSecret(snapshot);
    if (found !== null) problems.push(`${where}: a secret in the snapshot at ${found}`);
    // util.inspect of the whole snapshot prints the machine's state nodes and the actor system
    // again at every reference (seconds per snapshot); those are searched above. Printed here:
    // what an app would log of a snapshot, with its actors' snapshots (and so their input).
    const children = Object.entries(snapshot.children).map(([id, child]) => [
      id,
      child?.getSnapshot(),
    ]);
    const { value, status, context, tags, output, error } = snapshot;
    const printed = inspect(
      { value, status, context, tags, output, error, children: Object.fromEntries(children) },
      { depth: 20 },
    );
    if (SECRETS.some((s) => printed.includes(s))) {
      problems.push(`${where}: a secret in util.inspect(snapshot)`);
    }
  }
  return problems;
}

/**
 * Busy states that take no CANCEL: each ends by itself (its actor's done/error) or by the
 * `operation` timeout, which the model checks. Sign-out and exit by design; the others are
 * reported to the lead (the view's docs say a busy machine takes CANCEL).
 */
export const BUSY_WITHOUT_CANCEL: ReadonlySet<string> = new Set([
  'signIn.signingOut',
  'signIn.exiting',
]);

export function atomicIds(snapshot: Snap): string[] {
  return snapshot._nodes.filter((n) => n.type === 'atomic' || n.type === 'final').map((n) => n.id);
}
