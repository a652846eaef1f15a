/**
 * Draws the sign-in machine as a Mermaid `stateDiagram-v2`, from the machine object itself (its
 * state nodes, initial states, transitions and each state's `meta.route`), so the picture in
 * docs/sign-in.md is the machine and cannot drift from it (tests/docs/state-diagram.test.ts).
 *
 *   npx tsx scripts/state-diagram.ts            prints the diagram
 *   npx tsx scripts/state-diagram.ts --write    rewrites it in docs/sign-in.md (npm run docs:diagram)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { AnyStateNode, TransitionDefinition } from 'xstate';
import { signInMachineDefinition } from '../src/session/machine/machine.js';

/** The markers around the diagram's block in docs/sign-in.md. */
export const DIAGRAM_START = '<!-- state-diagram:start -->';
export const DIAGRAM_END = '<!-- state-diagram:end -->';

const GUIDE = new URL('../docs/sign-in.md', import.meta.url);

type Transition = TransitionDefinition<never, never>;

/**
 * The machine to draw: the sign-in machine's definition, built once for every
 * `createSignInMachine` call (the options only provide actors, two guards and an action).
 */
function machineToDraw() {
  return signInMachineDefinition;
}

/** A Mermaid id for a state node: its path, unique where keys (`entry`, `verifying`) are not. */
function idOf(node: AnyStateNode): string {
  return node.path.join('_');
}

/** Whether `node` is transient: it only ever passes on through `always` transitions. */
function isChoice(node: AnyStateNode): boolean {
  return node.type === 'atomic' && (node.always?.length ?? 0) > 0 && node.transitions.size === 0;
}

/** An event name as the diagram shows it: `done: verifyPin`, `error: verifyPin`, `after cardWait`. */
function eventLabel(transition: Transition): string {
  const type = transition.eventType as string;
  const done = /^xstate\.done\.actor\.(.+)$/.exec(type);
  if (done) return `done: ${done[1]}`;
  const error = /^xstate\.error\.actor\.(.+)$/.exec(type);
  if (error) return `error: ${error[1]}`;
  if (type.startsWith('xstate.after.')) {
    const delay = (transition as { delay?: unknown }).delay;
    return `after ${typeof delay === 'string' || typeof delay === 'number' ? delay : type.split('.')[2]}`;
  }
  return type;
}

/**
 * A guard by name (`validAddress`; `a and b`, `a or b`, `not a` for XState's `and`, `or`, `not`
 * of named guards); inline guards have no name and are not shown.
 */
function guardLabel(guard: unknown): string | null {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && guard !== null && 'type' in guard) return String(guard.type);
  if (typeof guard === 'function' && 'guards' in guard && Array.isArray(guard.guards)) {
    const parts = guard.guards.map(guardLabel);
    if (parts.some((p) => p === null)) return null;
    if (guard.name === 'not') return `not ${parts.join(', ')}`;
    return parts.join(guard.name === 'or' ? ' or ' : ' and ');
  }
  return null;
}

/**
 * The block an edge is written in: the parent of both ends when they are siblings, else the
 * diagram's top level. Mermaid moves a state into the block of any edge that names it, except
 * at the top level, so an edge between different blocks must be written there.
 */
function blockFor(from: AnyStateNode, to: AnyStateNode): AnyStateNode {
  return from.parent !== undefined && from.parent === to.parent ? from.parent : from.machine.root;
}

/** Edges by the composite state whose block they are written in; labels by `from --> to`. */
type Edges = Map<AnyStateNode, Map<string, string[]>>;

/** Adds an edge; the transitions between the same two states share one, their labels joined. */
function addEdge(edges: Edges, where: AnyStateNode, arrow: string, label: string): void {
  const block = edges.get(where) ?? new Map<string, string[]>();
  const labels = block.get(arrow) ?? [];
  if (!labels.includes(label)) labels.push(label);
  block.set(arrow, labels);
  edges.set(where, block);
}

function edgeLines(edges: Edges, where: AnyStateNode): string[] {
  return [...(edges.get(where) ?? new Map<string, string[]>())].map(([arrow, labels]) => {
    const label = labels.filter((l) => l !== '').join(', ');
    return label === '' ? arrow : `${arrow} : ${label}`;
  });
}

/** Whether other transitions of `node` for the same event are guarded: `transition` is the else. */
function hasGuardedSiblings(node: AnyStateNode, transition: Transition): boolean {
  const type = transition.eventType as string;
  const siblings = (type === '' ? node.always : node.transitions.get(type)) ?? [];
  return siblings.some((t) => t !== transition && t.guard !== undefined);
}

/** The transitions that leave `node` and its descendants, as edges. */
function collectEdges(node: AnyStateNode, edges: Edges): void {
  const transitions: Transition[] = [
    ...[...node.transitions.values()].flat(),
    ...(node.always ?? []),
  ] as Transition[];
  for (const transition of transitions) {
    const guard = guardLabel(transition.guard);
    const always = (transition.eventType as string) === '';
    let label = always ? '' : eventLabel(transition);
    if (guard !== null) label = always ? `[${guard}]` : `${label} [${guard}]`;
    else if (transition.guard === undefined && hasGuardedSiblings(node, transition)) {
      label = always ? '[else]' : `${label} [else]`;
    }
    // A transition without a target runs its actions and stays: a loop.
    const targets = (transition.target ?? [node]) as AnyStateNode[];
    for (const target of targets) {
      addEdge(edges, blockFor(node, target), `${idOf(node)} --> ${idOf(target)}`, label);
    }
  }
  for (const child of Object.values(node.states) as AnyStateNode[]) collectEdges(child, edges);
}

/** The `route` a state declares in its `meta`, for `viewSignIn`. */
function routeOf(node: AnyStateNode): string | null {
  const meta: unknown = node.meta;
  if (typeof meta === 'object' && meta !== null && 'route' in meta) return String(meta.route);
  return null;
}

/** The lines of a composite state's block: its children, its initial arrow, its edges. */
function blockOf(node: AnyStateNode, edges: Edges, indent: string): string[] {
  const lines: string[] = [];
  for (const child of Object.values(node.states) as AnyStateNode[]) {
    const id = idOf(child);
    const named = id === child.key ? id : `"${child.key}" as ${id}`;
    if (child.type === 'compound' || child.type === 'parallel') {
      lines.push(`${indent}state ${named} {`);
      lines.push(...blockOf(child, edges, `${indent}  `));
      lines.push(`${indent}}`);
      continue;
    }
    if (isChoice(child)) {
      lines.push(`${indent}state ${id} <<choice>>`);
      continue;
    }
    // Declared with its name, so that Mermaid shows the name above the route (a description
    // alone would replace it).
    lines.push(`${indent}state "${child.key}" as ${id}`);
    const route = routeOf(child);
    const busy = child.tags.includes('busy') ? ', busy' : '';
    if (route !== null) lines.push(`${indent}${id} : route ${route}${busy}`);
    if (child.type === 'final') lines.push(`${indent}${id} --> [*]`);
  }
  // The initial arrow after the declarations: drawn first, a `<<choice>>` would be a plain box.
  const initial = node.initial?.target as AnyStateNode[] | undefined;
  for (const target of initial ?? []) lines.push(`${indent}[*] --> ${idOf(target)}`);
  for (const edge of edgeLines(edges, node)) lines.push(`${indent}${edge}`);
  return lines;
}

/**
 * The sign-in machine as a Mermaid `stateDiagram-v2`: every state node (nested states in their
 * parents' blocks, ids made of the state's path), initial states, every transition with its
 * event (`done: verifyPin`, `error: verifyPin`, `after cardWait`) and named guard (`[else]` for
 * the unguarded branch of a guarded event), a loop for the
 * events a state takes without leaving it, `<<choice>>` for transient states, `[*]` after the
 * final state, and the `route` (and `busy`) each state shows through `viewSignIn`.
 */
export function signInStateDiagram(): string {
  const root = machineToDraw().root as AnyStateNode;
  const edges: Edges = new Map();
  collectEdges(root, edges);
  return ['stateDiagram-v2', ...blockOf(root, edges, '  ')].join('\n');
}

/** Every state node of the sign-in machine, as the ids the diagram gives them. */
export function signInStateIds(): string[] {
  const ids: string[] = [];
  const walk = (node: AnyStateNode) => {
    for (const child of Object.values(node.states) as AnyStateNode[]) {
      ids.push(idOf(child));
      walk(child);
    }
  };
  walk(machineToDraw().root as AnyStateNode);
  return ids;
}

/** The diagram's fenced block, as it stands between the markers. */
export function diagramBlock(diagram: string): string {
  return `${DIAGRAM_START}\n\n\`\`\`mermaid\n${diagram}\n\`\`\`\n\n${DIAGRAM_END}`;
}

/** `markdown` with the block between the markers replaced by `diagram`. */
export function withStateDiagram(markdown: string, diagram: string): string {
  const start = markdown.indexOf(DIAGRAM_START);
  const end = markdown.indexOf(DIAGRAM_END);
  if (start < 0 || end < start) {
    throw new Error(`docs/sign-in.md has no ${DIAGRAM_START} … ${DIAGRAM_END} block.`);
  }
  return `${markdown.slice(0, start)}${diagramBlock(diagram)}${markdown.slice(end + DIAGRAM_END.length)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const diagram = signInStateDiagram();
  if (process.argv.includes('--write')) {
    const before = readFileSync(GUIDE, 'utf8');
    const after = withStateDiagram(before, diagram);
    if (after !== before) writeFileSync(GUIDE, after);
    console.log(`docs/sign-in.md: state diagram ${after === before ? 'unchanged' : 'updated'}`);
  } else {
    console.log(diagram);
  }
}
