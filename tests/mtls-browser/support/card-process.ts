/**
 * The test's side of card-and-server.mts, run inside the PC/SC stack: it waits for the card and
 * the HTTPS server to be ready, keeps every request outcome the server printed, and asks the card
 * for its PIN tries.
 */
import type { ChildProcess } from 'node:child_process';
import { lineFrom, type PcscStack } from '../../pcsc/support/stack.js';

/** What examples/mtls-server.ts decided for one request (its `onResult`, as printed). */
export interface RequestOutcome {
  readonly verified: boolean;
  /** When verified: the user's name and UPN. */
  readonly user?: string;
  readonly upn?: string;
  /** When refused: why. */
  readonly reason?: string;
  readonly detail?: string;
}

export interface CardProcess {
  readonly child: ChildProcess;
  /** The APDU trace file of what the card answered through vpcd. */
  readonly trace: string;
  readonly commonName: string;
  /** What the server decided for every request, in order. */
  readonly requests: RequestOutcome[];
  /** The card's PIN tries left, read by the SDK from the card's state. */
  attemptsRemaining(): Promise<number>;
  /** Takes the card out, stops the server and waits for the process to end. */
  stop(): Promise<void>;
}

interface Step {
  readonly step: string;
  readonly [field: string]: unknown;
}

/** Starts card-and-server.mts and resolves once pcscd has the card and the server listens. */
export async function startCardProcess(
  stack: PcscStack,
  httpsPort: number,
  folder: string,
): Promise<CardProcess> {
  const child = stack.spawnScript('tests/mtls-browser/support/card-and-server.mts', [
    String(stack.port),
    String(httpsPort),
    folder,
  ]);
  const requests: RequestOutcome[] = [];
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const step = JSON.parse(line) as Step;
      if (step.step === 'request') requests.push(step as unknown as RequestOutcome);
    }
  });
  const ready = JSON.parse(
    await lineFrom(child, (line) => line.includes('"step":"ready"'), 60_000),
  ) as Step;
  for (let i = 0; i < 50; i++) {
    if (/0\s+Yes/.test(await stack.exec('opensc-tool', ['--list-readers']))) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const ask = async (what: string): Promise<Step> => {
    const answer = lineFrom(
      child,
      (line) => line.includes(`"step":"${what}"`) || line.includes('"step":"error"'),
      20_000,
    );
    child.stdin?.write(`${JSON.stringify({ do: what })}\n`);
    const step = JSON.parse(await answer) as Step;
    if (step.step === 'error') throw new Error(`card process: ${JSON.stringify(step)}`);
    return step;
  };
  return {
    child,
    trace: String(ready.trace),
    commonName: String(ready.commonName),
    requests,
    attemptsRemaining: async () => Number((await ask('status')).attemptsRemaining),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin?.write(`${JSON.stringify({ do: 'remove' })}\n`);
      const timer = setTimeout(() => child.kill('SIGTERM'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
