/**
 * The secret values the offered events carry, and the search for them in anything a snapshot, an
 * inspection event or a machine definition holds: none may show up anywhere but in the fakes.
 */
import { Secret } from '../../../../src/session/index.js';

/** Every secret value the events carry; none may show up anywhere but in the fakes. */
export const SECRET_VALUES = {
  password: 'pw-Zq81#model',
  pin: 'pin-Xk42#model',
  current: 'cur-Wj63#model',
  next: 'new-Vh74#model',
  confirm: 'cfm-Ug85#model',
  credential: 'puk-Tf96#model',
} as const;
export const SECRETS: readonly string[] = Object.values(SECRET_VALUES);

/**
 * Objects already searched that cannot change: a machine's definition (state nodes, config,
 * implementations). Searched once, then skipped, so that a snapshot or an inspection event,
 * which reach the machine through `machine` and every actor, is searched in a few milliseconds.
 */
export const searched = new WeakSet<object>();

/** Where a secret could be: any string in `value` (walked, cycles cut) containing one. */
export function findSecret(value: unknown, seen = new Set<unknown>(), path = '$'): string | null {
  if (typeof value === 'string') {
    return SECRETS.some((s) => value.includes(s)) ? path : null;
  }
  if (typeof value !== 'object' || value === null || seen.has(value)) return null;
  if (searched.has(value)) return null;
  seen.add(value);
  if (value instanceof Map) {
    for (const [k, v] of value) {
      const found = findSecret(k, seen, `${path}<key>`) ?? findSecret(v, seen, `${path}.get()`);
      if (found !== null) return found;
    }
    return null;
  }
  if (value instanceof Set) {
    for (const v of value) {
      const found = findSecret(v, seen, `${path}<item>`);
      if (found !== null) return found;
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    let child: unknown;
    try {
      child = (value as Record<string, unknown>)[key];
    } catch {
      continue;
    }
    const found = findSecret(child, seen, `${path}.${key}`);
    if (found !== null) return found;
  }
  return null;
}

/** Whether a Secret object (not only its value) was kept somewhere in `value`. */
export function holdsSecretObject(value: unknown, seen = new Set<unknown>()): boolean {
  if (value instanceof Secret) return true;
  if (typeof value !== 'object' || value === null || seen.has(value)) return false;
  seen.add(value);
  return Object.values(value).some((v) => holdsSecretObject(v, seen));
}

/** Marks an object graph that does not change as searched, after searching it once. */
export function markSearched(root: object): string | null {
  const seen = new Set<unknown>();
  const found = findSecret(root, seen);
  for (const object of seen) {
    if (typeof object === 'object' && object !== null) searched.add(object);
  }
  return found;
}
