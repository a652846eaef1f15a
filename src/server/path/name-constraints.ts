/**
 * Name constraints (RFC 5280 §4.2.1.10, §6.1.3 (b) and (c)): a CA's permitted and excluded
 * subtrees, and whether a certificate below it is named within them. Every constraining CA is
 * checked on its own, which is the intersection of permitted subtrees and the union of excluded
 * ones that RFC 5280 §6.1.4 (g) keeps. Internal.
 *
 * How each form matches its base, as OpenSSL's verifier matches them:
 * - directoryName: the base's RDNs begin the name's (compared as RFC 5280 §7.1 compares names);
 * - dNSName: the name is the base or ends with `.` + base (`example.com` covers
 *   `a.example.com`); a base starting with `.` covers subdomains only; an empty base, all;
 * - rfc822Name: a base with `@` is one mailbox (host in any case), a base starting with `.` any
 *   mailbox on a host below that domain, any other base the mailboxes on exactly that host;
 * - UPN (otherName 1.3.6.1.4.1.311.20.2.3): as rfc822Name, on the UPN's suffix, the form Active
 *   Directory name constraints take;
 * - uniformResourceIdentifier: the URI's host, as dNSName's rules for a base with `.`, else the
 *   host itself; a URI without a host is outside every permitted subtree;
 * - iPAddress: address and mask of the same family, the masked bits equal.
 * A name of any other form (x400Address, ediPartyName, registeredID, another otherName) fails
 * only when a constraint names that form, since it cannot be checked against it.
 */
import { children, DerError, readSingle, type Tlv } from '../../lib/der.js';
import { expect } from '../../lib/der-values.js';
import { type CertificateNames, type GeneralName, readGeneralName } from './general-names.js';

/** A CA's name constraints: the bases of its permitted and excluded subtrees. */
export interface NameConstraints {
  readonly permitted: readonly GeneralName[];
  readonly excluded: readonly GeneralName[];
}

/** The bases of one GeneralSubtrees: `minimum` must be 0 (absent) and `maximum` absent. */
function subtrees(bytes: Uint8Array, list: Tlv): GeneralName[] {
  const trees = children(bytes, list);
  expect(trees.length > 0, 'an empty list of subtrees');
  return trees.map((tree) => {
    expect(tree.tag === 0x30, 'a GeneralSubtree is not a SEQUENCE');
    const [base, ...bounds] = children(bytes, tree);
    expect(base !== undefined && bounds.length === 0, 'a subtree with minimum or maximum');
    const name = readGeneralName(bytes, base);
    if (name.form === 'ip') expect([8, 32].includes(name.bytes.length), 'a bad iPAddress subtree');
    if (name.form === 'dns') {
      expect(
        name.text === '' || isDnsName(name.text, false),
        'a dNSName subtree is not a DNS name',
      );
    }
    return name;
  });
}

/** Reads a nameConstraints extension's value. Throws {@link DerError} when it is malformed. */
export function readNameConstraints(value: Uint8Array): NameConstraints {
  const top = readSingle(value);
  expect(top.tag === 0x30, 'nameConstraints is not a SEQUENCE');
  const parts = children(value, top);
  expect(parts.length > 0, 'an empty nameConstraints');
  let permitted: GeneralName[] = [];
  let excluded: GeneralName[] = [];
  let last = -1;
  for (const part of parts) {
    const index = part.tag - 0xa0;
    if (index !== 0 && index !== 1) throw new DerError('nameConstraints holds something else');
    expect(index > last, 'nameConstraints out of order');
    last = index;
    if (index === 0) permitted = subtrees(value, part);
    else excluded = subtrees(value, part);
  }
  return { permitted, excluded };
}

/**
 * Whether `text` is a DNS name as a certificate may carry it: dot-separated labels of letters,
 * digits, `-` and `_` (1 to 63 each, 253 in all), no leading or trailing dot; with `wildcard`,
 * a first label of `*` too.
 */
function isDnsName(text: string, wildcard: boolean): boolean {
  const labels = text.split('.');
  if (text.length > 253 || labels.length === 0) return false;
  return labels.every(
    (label, index) =>
      (wildcard && index === 0 && label === '*' && labels.length > 1) ||
      /^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$/.test(label),
  );
}

/** Whether `text` is one mailbox: a local part, one `@`, and a host. */
function isMailbox(text: string): boolean {
  const at = text.indexOf('@');
  return at > 0 && at === text.lastIndexOf('@') && at < text.length - 1;
}

const lower = (text: string) => text.replace(/[A-Z]/g, (c) => c.toLowerCase());

/** `name` is the domain `base` or below it (`base` with a leading `.`: strictly below). */
function underDomain(name: string, base: string): boolean {
  if (base === '') return true;
  const host = lower(name);
  const domain = lower(base);
  if (domain.startsWith('.')) return host.endsWith(domain);
  return host === domain || host.endsWith(`.${domain}`);
}

/**
 * A wildcard dNSName (`*.example.com`) against a base: within a permitted base only when every
 * name it may stand for is; touching an excluded base when any of them is. Defensive, as RFC 5280
 * leaves wildcards to RFC 9525 (CVE-2025-61727: `*.example.com` under an excluded
 * `bar.example.com` must not pass).
 */
function wildcardWithin(parent: string, base: string, kind: 'permitted' | 'excluded'): boolean {
  if (underDomain(`x.${parent}`, base) && (base.startsWith('.') || underDomain(parent, base))) {
    return true;
  }
  if (kind === 'permitted') return false;
  const domain = lower(base.startsWith('.') ? base.slice(1) : base);
  const label = domain.endsWith(`.${lower(parent)}`)
    ? domain.slice(0, -parent.length - 1)
    : undefined;
  return !base.startsWith('.') && label !== undefined && label !== '' && !label.includes('.');
}

/** rfc822Name (and UPN) matching. */
function mailboxWithin(address: string, base: string): boolean {
  const at = address.lastIndexOf('@');
  if (at <= 0) return false;
  const host = address.slice(at + 1);
  if (base.includes('@')) {
    const baseAt = base.lastIndexOf('@');
    return (
      address.slice(0, at) === base.slice(0, baseAt) &&
      lower(host) === lower(base.slice(baseAt + 1))
    );
  }
  if (base.startsWith('.')) return lower(host).endsWith(lower(base));
  return lower(host) === lower(base);
}

/** The host of a URI with an authority (`scheme://[user@]host[:port]/...`), or undefined. */
function uriHost(uri: string): string | undefined {
  const match = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#]*)/.exec(uri);
  const host = match?.[1];
  return host === undefined || host === '' ? undefined : host;
}

function within(
  name: GeneralName,
  base: GeneralName,
  kind: 'permitted' | 'excluded' = 'permitted',
): boolean {
  if (name.form === 'directory' && base.form === 'directory') {
    return (
      base.rdns.length <= name.rdns.length && base.rdns.every((rdn, i) => rdn === name.rdns[i])
    );
  }
  if (name.form === 'ip' && base.form === 'ip') {
    const size = name.bytes.length;
    if (base.bytes.length !== size * 2) return false;
    return name.bytes.every((byte, index) => {
      const mask = base.bytes[size + index] as number;
      return (byte & mask) === ((base.bytes[index] as number) & mask);
    });
  }
  if (name.form === 'dns' && base.form === 'dns') {
    if (name.text.startsWith('*.')) return wildcardWithin(name.text.slice(2), base.text, kind);
    return underDomain(name.text, base.text);
  }
  if (name.form === 'email' && base.form === 'email') return mailboxWithin(name.text, base.text);
  if (name.form === 'upn' && base.form === 'upn') return mailboxWithin(name.text, base.text);
  if (name.form === 'uri' && base.form === 'uri') {
    const host = uriHost(name.text);
    if (host === undefined) return false;
    return base.text.startsWith('.')
      ? underDomain(host, base.text)
      : lower(host) === lower(base.text);
  }
  return false;
}

function ipText(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups: string[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    groups.push((((bytes[i] as number) << 8) | (bytes[i + 1] as number)).toString(16));
  }
  return groups.join(':');
}

function described(name: GeneralName): string {
  switch (name.form) {
    case 'directory':
      return 'the directory name';
    case 'ip':
      return `the IP address ${ipText(name.bytes)}`;
    case 'other':
      return `a ${name.kind} name`;
    default:
      return `the ${name.form === 'upn' ? 'UPN' : name.form} name "${name.text}"`;
  }
}

/**
 * Why `names` break `constraints`, or `undefined` when they keep within them: every name of a
 * form the permitted subtrees constrain is within one of them, and no name is within an
 * excluded subtree.
 */
export function nameConstraintViolation(
  constraints: NameConstraints,
  names: CertificateNames,
): string | undefined {
  const all: GeneralName[] = [
    ...(names.subject.length > 0 ? [{ form: 'directory' as const, rdns: names.subject }] : []),
    ...names.alternatives,
  ];
  for (const name of all) {
    if (name.form === 'other') {
      const bases = [...constraints.permitted, ...constraints.excluded];
      if (bases.some((base) => base.form === 'other' && base.kind === name.kind)) {
        return `${described(name)} cannot be checked against the constraints on its form`;
      }
      continue;
    }
    if (name.form === 'dns' && !isDnsName(name.text, true)) {
      return `${described(name)} is not a DNS name`;
    }
    if ((name.form === 'email' || name.form === 'upn') && !isMailbox(name.text)) {
      return `${described(name)} is not one mailbox`;
    }
    const ofForm = constraints.permitted.filter((base) => base.form === name.form);
    if (ofForm.length > 0 && !ofForm.some((base) => within(name, base))) {
      return `${described(name)} is outside the permitted subtrees`;
    }
    if (constraints.excluded.some((base) => within(name, base, 'excluded'))) {
      return `${described(name)} is within an excluded subtree`;
    }
  }
  return undefined;
}
