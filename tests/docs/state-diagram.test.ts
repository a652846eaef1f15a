/**
 * The state diagram in docs/sign-in.md is drawn from the sign-in machine by
 * scripts/state-diagram.ts; it must be what the script draws now (`npm run docs:diagram`
 * rewrites it), and it must show every state of the machine.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DIAGRAM_END,
  DIAGRAM_START,
  diagramBlock,
  signInStateDiagram,
  signInStateIds,
  withStateDiagram,
} from '../../scripts/state-diagram.js';

const guide = readFileSync(new URL('../../docs/sign-in.md', import.meta.url), 'utf8');

describe('docs/sign-in.md state diagram', () => {
  const diagram = signInStateDiagram();

  it('is the diagram of the machine as it is (npm run docs:diagram)', () => {
    const start = guide.indexOf(DIAGRAM_START);
    const end = guide.indexOf(DIAGRAM_END);
    expect(start, 'the start marker').toBeGreaterThanOrEqual(0);
    expect(end, 'the end marker, after the start').toBeGreaterThan(start);
    expect(guide.slice(start, end + DIAGRAM_END.length)).toBe(diagramBlock(diagram));
    expect(withStateDiagram(guide, diagram)).toBe(guide);
  });

  it('shows every state node, its route, and the end', () => {
    const ids = signInStateIds();
    expect(ids).toContain('smartCard_pin_entry');
    expect(ids).toContain('signedIn_locked_verifying');
    for (const id of ids) expect(diagram, id).toMatch(new RegExp(`(^|[\\s"])${id}(\\s|$)`, 'm'));
    expect(diagram).toMatch(/^stateDiagram-v2\n/);
    expect(diagram).toMatch(/^ {2}\[\*\] --> starting$/m);
    expect(diagram).toContain('exited --> [*]');
    expect(diagram).toContain('smartCard_pin_entry : route pin');
    expect(diagram).toContain('smartCard_waitingForCard --> signInScreen : after cardWait');
    expect(diagram).toContain('error: verifyPin');
    expect(diagram).not.toContain('xstate.');
  });
});
