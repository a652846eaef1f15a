/**
 * The interactive UI: @clack/prompts for every question (masked input for PINs, each field
 * checked as it is submitted) and a spinner for the slow steps. Cancelling a prompt (Ctrl+C,
 * Esc) throws {@link DemoCancelled}; Ctrl+C during a spinner or between questions rejects
 * `cancelled`. Either way the demo ends with "Cancelled." and code 130.
 */
import { styleText } from 'node:util';
import * as clack from '@clack/prompts';
import { startSpinner, type TerminalSpinner } from './terminal-spinner.js';
import type { DemoTexts } from './texts/en.js';
import { type Choice, DemoCancelled, type Ui } from './ui.js';

export function interactiveUi(texts: DemoTexts): Ui {
  // The line under every menu: clack exports it as an array and reads it at each render.
  clack.SELECT_INSTRUCTIONS.splice(
    0,
    clack.SELECT_INSTRUCTIONS.length,
    `${styleText('dim', '↑/↓')} ${texts.menuKeys.navigate}`,
    `${styleText('dim', 'Enter:')} ${texts.menuKeys.confirm}`,
  );
  let cancel: (reason: DemoCancelled) => void = () => undefined;
  const cancelled = new Promise<never>((_, reject) => {
    cancel = reject;
  });
  // Outside a prompt the terminal turns Ctrl+C into SIGINT; a spinner reads it as a key.
  let spinner: TerminalSpinner | undefined;
  const onSignal = () => {
    spinner?.cancel();
    cancel(new DemoCancelled());
  };
  process.on('SIGINT', onSignal);
  return {
    interactive: true,
    texts,
    cancelled,
    close: () => {
      process.off('SIGINT', onSignal);
    },
    intro: (title) => clack.intro(title),
    section: (title) => clack.log.step(title),
    info: (text) => clack.log.info(wrap(text)),
    success: (text) => clack.log.success(wrap(text)),
    warn: (text) => clack.log.warn(wrap(text)),
    note: (title, lines) => clack.note(lines.join('\n'), title),
    outro: (text) => clack.outro(text),
    progress: (text) => {
      spinner = startSpinner(text, onSignal);
      return spinner;
    },
    text: async ({ message, initial, validate, auto }) => {
      // Pre-filled: editable. Empty: the script's answer as the placeholder, taken on Enter.
      const prefilled = initial !== undefined && initial !== '';
      const typed = answered(
        await clack.text({
          message,
          ...(prefilled ? { initialValue: initial } : { placeholder: auto, defaultValue: auto }),
          ...(validate === undefined
            ? {}
            : { validate: (value) => (value ? validate(value) : undefined) }),
        }),
      );
      return typed === '' ? (prefilled ? initial : auto) : typed;
    },
    password: async ({ message, validate }) =>
      answered(
        await clack.password({
          message,
          validate: (value) =>
            value === undefined || value === '' ? texts.typeSomething : validate?.(value),
        }),
      ),
    confirm: async ({ message, auto, yes = texts.yes, no = texts.no }) =>
      answered(await clack.confirm({ message, initialValue: auto, active: yes, inactive: no })),
    select: async <T extends string>(question: {
      message: string;
      choices: readonly Choice<T>[];
      auto: T;
    }) =>
      answered(
        await clack.select<T>({
          message: question.message,
          initialValue: question.auto,
          // clack's Option<T> is conditional on T, so a generic T needs the cast.
          options: question.choices.map((c) => ({ ...c })) as clack.Option<T>[],
        }),
      ),
  };
}

/** The answer, or {@link DemoCancelled} for Ctrl+C or Esc. */
function answered<T>(value: T): Exclude<T, symbol> {
  if (clack.isCancel(value)) throw new DemoCancelled();
  return value as Exclude<T, symbol>;
}

/**
 * Breaks `text` to fit the terminal beside clack's guide line (which log lines need): at spaces,
 * and inside a word too long for a line (Chinese has no spaces). East Asian wide characters
 * take two columns.
 */
function wrap(text: string): string {
  const width = Math.max(40, (process.stdout.columns ?? 80) - 4);
  const lines: string[] = [];
  let line = '';
  let used = 0;
  const put = (piece: string, columns: number) => {
    if (used > 0 && used + columns > width) {
      lines.push(line.trimEnd());
      line = '';
      used = 0;
      if (piece === ' ') return;
    }
    line += piece;
    used += columns;
  };
  for (const word of text.split(/(?<= )/)) {
    const columns = columnsOf(word);
    if (columns <= width) put(word, columns);
    else for (const char of word) put(char, columnsOf(char));
  }
  lines.push(line.trimEnd());
  return lines.join('\n');
}

/** How many terminal columns `text` takes: two for each East Asian wide character. */
function columnsOf(text: string): number {
  let columns = 0;
  for (const char of text) columns += WIDE.test(char) ? 2 : 1;
  return columns;
}

const WIDE =
  /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
