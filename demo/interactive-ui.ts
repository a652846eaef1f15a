/**
 * The interactive UI: @clack/prompts for every question (masked input for PINs) and a spinner
 * for the slow steps. Cancelling a prompt (Ctrl+C, Esc) throws {@link DemoCancelled}.
 */
import * as clack from '@clack/prompts';
import { type Choice, DemoCancelled, type Progress, type Ui } from './ui.js';

export function interactiveUi(): Ui {
  return {
    interactive: true,
    intro: (title) => clack.intro(title),
    section: (title) => clack.log.step(title),
    info: (text) => clack.log.info(wrap(text)),
    success: (text) => clack.log.success(wrap(text)),
    warn: (text) => clack.log.warn(wrap(text)),
    note: (title, lines) => clack.note(lines.join('\n'), title),
    outro: (text) => clack.outro(text),
    progress: (text) => {
      const spin = clack.spinner();
      spin.start(text);
      const progress: Progress = {
        message: (next) => spin.message(next),
        stop: (done) => spin.stop(done),
        fail: (failed) => spin.error(failed),
      };
      return progress;
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
    password: async ({ message }) =>
      answered(
        await clack.password({
          message,
          validate: (value) => (value === undefined || value === '' ? 'Type a PIN.' : undefined),
        }),
      ),
    confirm: async ({ message, auto, yes, no }) =>
      answered(
        await clack.confirm({
          message,
          initialValue: auto,
          ...(yes === undefined ? {} : { active: yes }),
          ...(no === undefined ? {} : { inactive: no }),
        }),
      ),
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

/** Breaks `text` at spaces to fit the terminal beside clack's guide line (which log lines need). */
function wrap(text: string): string {
  const width = Math.max(40, (process.stdout.columns ?? 80) - 4);
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(line);
  return lines.join('\n');
}
