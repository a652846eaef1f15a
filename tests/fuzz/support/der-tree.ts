/**
 * Structure-aware mutation: the input is read as a DER tree (OCTET and BIT STRINGs that hold
 * DER are opened too, as extension values and keys are), one element is changed, and the tree
 * is encoded again with correct lengths, so that the change reaches the parsers' inner layers
 * instead of failing at the first length check.
 */
import type { Random } from './mutate.js';

interface Node {
  tag: number;
  /** Primitive contents, or `undefined` for a constructed (or opened) element. */
  content: Uint8Array | undefined;
  children: Node[];
  /** For an opened BIT STRING: its unused-bits byte. */
  prefix: Uint8Array;
}

function readLength(bytes: Uint8Array, at: number): [number, number] | undefined {
  const first = bytes[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return [first, at + 1];
  const count = first & 0x7f;
  if (count === 0 || count > 3) return undefined;
  let length = 0;
  for (let i = 1; i <= count; i++) {
    const b = bytes[at + i];
    if (b === undefined) return undefined;
    length = length * 256 + b;
  }
  return [length, at + 1 + count];
}

/** The elements of `bytes`, or `undefined` when they are not exactly a sequence of DER elements. */
function readAll(bytes: Uint8Array, depth: number): Node[] | undefined {
  const nodes: Node[] = [];
  let at = 0;
  while (at < bytes.length) {
    const tag = bytes[at] as number;
    if ((tag & 0x1f) === 0x1f) return undefined;
    const length = readLength(bytes, at + 1);
    if (length === undefined || length[1] + length[0] > bytes.length) return undefined;
    const value = bytes.subarray(length[1], length[1] + length[0]);
    nodes.push(readNode(tag, value, depth));
    at = length[1] + length[0];
  }
  return nodes;
}

function readNode(tag: number, value: Uint8Array, depth: number): Node {
  const leaf = { tag, content: value, children: [], prefix: new Uint8Array() };
  if (depth > 40) return leaf;
  if ((tag & 0x20) !== 0) {
    const children = readAll(value, depth + 1);
    return children === undefined ? leaf : { ...leaf, content: undefined, children };
  }
  // OCTET STRING or BIT STRING holding one DER element: opened.
  const inner = tag === 0x03 ? value.subarray(1) : tag === 0x04 ? value : undefined;
  if (inner === undefined || inner.length < 2 || ((inner[0] ?? 0) & 0x20) === 0) return leaf;
  const children = readAll(inner, depth + 1);
  if (children?.length !== 1) return leaf;
  return {
    tag,
    content: undefined,
    children,
    prefix: tag === 0x03 ? value.subarray(0, 1) : leaf.prefix,
  };
}

function lengthBytes(length: number): number[] {
  if (length < 0x80) return [length];
  const out: number[] = [];
  for (let v = length; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return [0x80 | out.length, ...out];
}

function encode(node: Node): number[] {
  const value =
    node.content !== undefined
      ? [...node.content]
      : [...node.prefix, ...node.children.flatMap((child) => encode(child))];
  return [node.tag, ...lengthBytes(value.length), ...value];
}

function allNodes(node: Node, out: Node[] = []): Node[] {
  out.push(node);
  for (const child of node.children) allNodes(child, out);
  return out;
}

/** Tags for a replaced element: strings, times, integers, OIDs, NULL, BOOLEAN, constructed. */
const TAGS = [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x0c, 0x13, 0x16, 0x17, 0x18, 0x1e, 0x30, 0x31];

/**
 * One element of `der` changed (contents replaced, emptied or cut, an element deleted or
 * repeated, a tag changed, a time or string of garbage put in), lengths kept right; `undefined`
 * when `der` is not one DER element.
 */
export function mutateTree(
  der: Uint8Array,
  random: Random,
): { bytes: Uint8Array<ArrayBuffer>; how: string } | undefined {
  const [root, ...rest] = readAll(der, 0) ?? [];
  if (root === undefined || rest.length > 0) return undefined;
  const nodes = allNodes(root);
  // Half the time a primitive element: where the values a parser interprets are.
  const leaves = nodes.filter((n) => n.children.length === 0);
  const node = random.pick(random.below(2) === 0 && leaves.length > 0 ? leaves : nodes);
  const parent = nodes.find((n) => n.children.includes(node));
  const edits: Record<string, () => void> = {
    'contents replaced': () => {
      node.content = random.bytes(random.below(40));
      node.children = [];
    },
    'contents emptied': () => {
      node.content = new Uint8Array();
      node.children = [];
    },
    'tag changed': () => {
      node.tag = random.pick(TAGS) | (random.below(4) === 0 ? 0x80 : 0);
    },
    'element deleted': () => {
      if (parent !== undefined) parent.children.splice(parent.children.indexOf(node), 1);
    },
    'element repeated': () => {
      if (parent !== undefined) parent.children.splice(parent.children.indexOf(node), 0, node);
    },
    'garbage time or string': () => {
      node.tag = random.pick([0x17, 0x18, 0x0c, 0x1e, 0x13, 0x16]);
      node.content = random.pick([
        new TextEncoder().encode(
          random.pick(['2026Z', '99999999999999Z', '20261301000000Z', 'Z', '']),
        ),
        random.bytes(1 + random.below(20)),
      ]);
      node.children = [];
    },
    'child of garbage added': () => {
      node.content = undefined;
      node.tag |= node.tag === 0x03 || node.tag === 0x04 ? 0 : 0x20;
      node.children.push({
        tag: random.pick(TAGS),
        content: random.bytes(random.below(12)),
        children: [],
        prefix: new Uint8Array(),
      });
    },
  };
  const how = random.pick(Object.keys(edits));
  (edits[how] as () => void)();
  return {
    bytes: new Uint8Array(encode(root)),
    how: `tree: ${how} (tag ${node.tag.toString(16)})`,
  };
}

/** The systematic edits {@link everyElementEdited} makes to each element. */
const SYSTEMATIC = ['emptied', 'deleted', 'a garbage time'] as const;

/**
 * Every element of `der` in turn emptied, deleted, or replaced by a malformed GeneralizedTime
 * (lengths kept right): a deterministic sweep that reaches each field once, where random
 * mutations may miss a small one (an attribute's SET of values, say).
 */
export function* everyElementEdited(
  der: Uint8Array,
): Generator<{ bytes: Uint8Array<ArrayBuffer>; how: string }> {
  const count = allNodes((readAll(der, 0) ?? [])[0] as Node).length;
  for (let index = 1; index < count; index++) {
    for (const edit of SYSTEMATIC) {
      const [root] = readAll(der, 0) as Node[];
      const nodes = allNodes(root as Node);
      const node = nodes[index] as Node;
      const parent = nodes.find((n) => n.children.includes(node)) as Node;
      if (edit === 'deleted') parent.children.splice(parent.children.indexOf(node), 1);
      else {
        node.tag = edit === 'emptied' ? node.tag : 0x18;
        node.content = edit === 'emptied' ? new Uint8Array() : new TextEncoder().encode('2026Z');
        node.children = [];
      }
      yield { bytes: new Uint8Array(encode(root as Node)), how: `element ${index} ${edit}` };
    }
  }
}
