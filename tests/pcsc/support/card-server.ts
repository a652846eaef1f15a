/**
 * The test's side of scenarios/piv-card-server.mts: an emulated PIV card inserted into the
 * stack's vpcd reader, with the SDK beside it, asked for steps by JSON lines.
 */
import type { ChildProcess } from 'node:child_process';
import { lineFrom, type PcscStack } from './stack.js';

/** A step the server printed: `{"step":"setup",...}`. */
export interface ServerStep {
  readonly step: string;
  readonly [field: string]: unknown;
}

export interface CardServer {
  readonly child: ChildProcess;
  /** Sends `{"do":what,...fields}` and resolves with the step it answers (rejects on `error`). */
  ask(what: string, fields?: object): Promise<ServerStep>;
  /** Takes the card out and waits for the server to end. */
  remove(): Promise<ServerStep>;
}

const stepOf = (line: string) => JSON.parse(line) as ServerStep;

/** Starts the server and waits until pcscd sees its card in reader 0 (opensc-tool lists it). */
export async function startCardServer(
  stack: PcscStack,
  options: { serial: number; managementKey: '3des' | 'aes'; trace: string },
): Promise<CardServer> {
  const child = stack.spawnScript('tests/pcsc/scenarios/piv-card-server.mts', [
    String(stack.port),
    String(options.serial),
    options.managementKey,
    options.trace,
  ]);
  await lineFrom(child, (line) => line.includes('"step":"inserted"'));
  for (let i = 0; i < 50; i++) {
    const readers = await stack.exec('opensc-tool', ['--list-readers']);
    if (/0\s+Yes/.test(readers)) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const answer = (what: string) =>
    lineFrom(
      child,
      (line) => line.includes(`"step":"${what}"`) || line.includes('"step":"error"'),
      30_000,
    ).then((line) => {
      const step = stepOf(line);
      if (step.step === 'error') throw new Error(`card server: ${JSON.stringify(step)}`);
      return step;
    });
  return {
    child,
    ask(what, fields = {}) {
      const answered = answer(what);
      child.stdin?.write(`${JSON.stringify({ do: what, ...fields })}\n`);
      return answered;
    },
    remove() {
      const answered = answer('removed');
      child.stdin?.write(`${JSON.stringify({ do: 'remove' })}\n`);
      return answered;
    },
  };
}
