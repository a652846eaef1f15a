/**
 * Mutation of saved records (JSON with SHA-256 integrity tags): one value replaced by a hostile
 * one, a key deleted or added, and the unkeyed tags computed again, so that the change reaches
 * the checks behind the integrity check (anyone who can write the store can do the same).
 */
import { toBase64, utf8 } from '../../../src/lib/bytes.js';
import { canonicalJson } from '../../../src/lib/canonical-json.js';
import type { Random } from './mutate.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Values put in place of a field: wrong types, out-of-range numbers, odd strings. */
const HOSTILE: readonly Json[] = [
  null,
  true,
  -1,
  0,
  1.5,
  2 ** 31,
  2 ** 53 + 2,
  1e308,
  -1e308,
  '',
  '\u0000',
  'x'.repeat(5000),
  '!!not base64!!',
  'AAAA',
  '__proto__',
  [],
  [null],
  {},
  { format: 'smartcard-2fa/pin-state' },
];

/** Every [container, key] in `value`, depth first. */
function slots(value: Json, out: [Json[] | { [key: string]: Json }, string | number][] = []) {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      out.push([value, i]);
      slots(item, out);
    });
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push([value, key]);
      slots(item, out);
    }
  }
  return out;
}

/** Recomputes every unkeyed SHA-256 integrity tag, innermost first. */
async function reseal(value: Json): Promise<void> {
  if (value === null || typeof value !== 'object') return;
  for (const item of Object.values(value)) await reseal(item);
  if (Array.isArray(value)) return;
  const integrity = value.integrity;
  if (integrity === null || typeof integrity !== 'object' || Array.isArray(integrity)) return;
  if (integrity.algorithm !== 'SHA-256') return;
  const { integrity: _, ...body } = value;
  const digest = await crypto.subtle.digest('SHA-256', utf8(canonicalJson(body)));
  integrity.tag = toBase64(new Uint8Array(digest));
}

/** The JSON text `record` with one field changed and its tags made right again. */
export async function mutateRecord(
  record: string,
  random: Random,
): Promise<{ text: string; how: string }> {
  const value = JSON.parse(record) as Json;
  const all = slots(value);
  const [container, key] = random.pick(all);
  const edit = random.below(10);
  let how: string;
  if (edit === 0 && !Array.isArray(container)) {
    delete container[key as string];
    how = `deleted ${String(key)}`;
  } else if (edit === 1 && !Array.isArray(container)) {
    container[random.pick(['extra', '__proto__', 'constructor', 'version'])] = random.pick(HOSTILE);
    how = `added a key next to ${String(key)}`;
  } else {
    const replacement = random.pick(HOSTILE);
    (container as Record<string | number, Json>)[key] = replacement;
    how = `${String(key)} = ${JSON.stringify(replacement)?.slice(0, 20)}`;
  }
  if (random.below(8) !== 0) await reseal(value);
  return { text: JSON.stringify(value), how };
}
