/**
 * The scripted UI: no prompts, the walk-through's fixed answers, one plain line per step (no
 * colours, no cursor movement), so that CI logs read well. Secrets are never printed.
 */
import type { DemoTexts } from './texts/en.js';
import type { Choice, Progress, Ui } from './ui.js';

export function scriptedUi(texts: DemoTexts, write: (line: string) => void = defaultWrite): Ui {
  const answer = (message: string, shown: string) =>
    write(`? ${message.replaceAll('\n', '\n  ')}\n  > ${shown}`);
  return {
    interactive: false,
    texts,
    // Nobody to press Ctrl+C at a prompt: the process simply ends on SIGINT.
    cancelled: new Promise<never>(() => undefined),
    close: () => undefined,
    intro: (title) => write(title),
    section: (title) => write(`\n== ${title}`),
    info: (text) => write(`  ${text}`),
    success: (text) => write(`✓ ${text}`),
    warn: (text) => write(`! ${text}`),
    note: (title, lines) => {
      write(`  ${texts.labelled(title, '').trimEnd()}`);
      for (const line of lines) write(`    ${line}`);
    },
    outro: (text) => write(`\n${text}`),
    progress: (text) => {
      const started = performance.now();
      write(`… ${text}`);
      const took = () => `(${((performance.now() - started) / 1000).toFixed(1)} s)`;
      const progress: Progress = {
        message: (next) => write(`… ${next}`),
        stop: (done) => write(`✓ ${done} ${took()}`),
        fail: (failed) => write(`✗ ${failed} ${took()}`),
      };
      return progress;
    },
    text: async ({ message, auto, validate }) => {
      const problem = validate?.(auto);
      if (problem !== undefined) throw new Error(`The script's answer is refused: ${problem}`);
      answer(message, auto);
      return auto;
    },
    password: async ({ message, auto, validate }) => {
      const problem = validate?.(auto);
      if (problem !== undefined) throw new Error(`The script's PIN is refused: ${problem}`);
      answer(message, '********');
      return auto;
    },
    confirm: async ({ message, auto, yes = texts.yes, no = texts.no }) => {
      answer(message, auto ? yes : no);
      return auto;
    },
    select: async <T extends string>(question: {
      message: string;
      choices: readonly Choice<T>[];
      auto: T;
    }) => {
      const choice = question.choices.find((c) => c.value === question.auto);
      if (choice === undefined)
        throw new Error(`The script's choice ${question.auto} is not offered.`);
      answer(question.message, choice.label);
      return question.auto;
    },
  };
}

function defaultWrite(line: string): void {
  process.stdout.write(`${line}\n`);
}
