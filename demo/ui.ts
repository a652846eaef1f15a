/**
 * What the demo shows and asks, whoever answers: a person at a terminal (`interactive-ui.ts`,
 * @clack/prompts) or the script (`scripted-ui.ts`, plain lines, fixed answers). The walk-through
 * (`enroll.ts`, `sign-in.ts`, `pin-screens.ts`) asks each question with the answer the script
 * gives (`auto`), so both modes run the very same code.
 */
import type { DemoTexts } from './texts/en.js';

/** A choice in {@link Ui.select}. */
export interface Choice<T extends string> {
  readonly value: T;
  readonly label: string;
  readonly hint?: string;
}

/** A spinner (or, scripted, a start line and a done line with the time taken). */
export interface Progress {
  /** Changes the line while it runs. */
  message(text: string): void;
  /** Ends it with `text` as the result line. */
  stop(text: string): void;
  /** Ends it as failed. */
  fail(text: string): void;
}

export interface Ui {
  /** `true` when a person answers the questions. */
  readonly interactive: boolean;
  /** The demo's own lines in the chosen language. */
  readonly texts: DemoTexts;
  /**
   * Rejects with {@link DemoCancelled} when the person cancels outside a prompt (Ctrl+C during a
   * spinner or between questions); never settles in a scripted run.
   */
  readonly cancelled: Promise<never>;
  /** Stops listening for Ctrl+C. */
  close(): void;
  /** The first line. */
  intro(title: string): void;
  /** A heading: one part of the walk-through. */
  section(title: string): void;
  /** A plain line. */
  info(text: string): void;
  /** Something that worked. */
  success(text: string): void;
  /** Something to look at: a notice from the sign-in machine, a refusal. */
  warn(text: string): void;
  /** Several lines under a title, as a box in a terminal. */
  note(title: string, lines: readonly string[]): void;
  /** The last line. */
  outro(text: string): void;
  /** Starts a spinner with `text`. */
  progress(text: string): Progress;
  /** A line of text; `initial` is pre-filled (editable). */
  text(question: {
    readonly message: string;
    readonly initial?: string;
    readonly validate?: (value: string) => string | undefined;
    readonly auto: string;
  }): Promise<string>;
  /**
   * A secret: the input is masked, and the script's answer is never printed. `validate` refuses
   * a value at the field, as it is submitted (the script's answer too).
   */
  password(question: {
    readonly message: string;
    readonly validate?: (value: string) => string | undefined;
    readonly auto: string;
  }): Promise<string>;
  /** Yes or no. */
  confirm(question: {
    readonly message: string;
    readonly auto: boolean;
    readonly yes?: string;
    readonly no?: string;
  }): Promise<boolean>;
  /** One of several. */
  select<T extends string>(question: {
    readonly message: string;
    readonly choices: readonly Choice<T>[];
    readonly auto: T;
  }): Promise<T>;
}

/** The person cancelled (Ctrl+C, or Esc at a prompt): `main` exits with code 130. */
export class DemoCancelled extends Error {
  override readonly name = 'DemoCancelled';
  constructor() {
    super('Cancelled.');
  }
}
