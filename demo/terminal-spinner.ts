/**
 * A spinner for the interactive demo, drawn like @clack/prompts' own. Not clack's `spinner()`:
 * that one exits the process with code 0 and "Canceled" on Ctrl+C. This one reads the keyboard
 * in raw mode while it spins (so keys typed meanwhile do not reach the next prompt) and, on
 * Ctrl+C or Esc, stops as cancelled and calls `onCancel`: the demo then ends with code 130.
 */

import { styleText } from 'node:util';
import { S_BAR, S_STEP_CANCEL, S_STEP_ERROR, S_STEP_SUBMIT, unicode } from '@clack/prompts';
import type { Progress } from './ui.js';

const FRAMES = unicode ? ['◒', '◐', '◓', '◑'] : ['•', 'o', 'O', '0'];
const CTRL_C = '\u0003';
const ESC = '\u001b';

/** A running spinner; `cancel()` ends it as cancelled (a SIGINT from outside, say). */
export interface TerminalSpinner extends Progress {
  cancel(): void;
}

/** Starts a spinner with `text` on stdout; Ctrl+C or Esc ends it as cancelled and calls `onCancel`. */
export function startSpinner(text: string, onCancel: () => void): TerminalSpinner {
  const input = process.stdin;
  const output = process.stdout;
  let current = text;
  let frame = 0;
  let running = true;
  const draw = () => {
    const width = Math.max(20, (output.columns ?? 80) - 4);
    const line = current.length > width ? `${current.slice(0, width - 1)}…` : current;
    output.write(`\r\u001b[2K${styleText('magenta', FRAMES[frame] ?? '')}  ${line}`);
    frame = (frame + 1) % FRAMES.length;
  };
  const onKey = (data: Buffer | string) => {
    const key = data.toString();
    if (key === CTRL_C || key === ESC) {
      end(styleText('red', S_STEP_CANCEL), current);
      onCancel();
    }
  };
  const rawBefore = input.isTTY ? input.isRaw : false;
  if (input.isTTY) input.setRawMode(true);
  input.on('data', onKey);
  input.resume();
  output.write(`${styleText('gray', S_BAR)}\n\u001b[?25l`);
  draw();
  const timer = setInterval(draw, 80);

  function end(symbol: string, last: string): void {
    if (!running) return;
    running = false;
    clearInterval(timer);
    input.off('data', onKey);
    if (input.isTTY) input.setRawMode(rawBefore);
    input.pause();
    output.write(`\r\u001b[2K${symbol}  ${last}\n\u001b[?25h`);
  }
  return {
    message: (next) => {
      current = next;
    },
    stop: (done) => end(styleText('green', S_STEP_SUBMIT), done),
    fail: (failed) => end(styleText('red', S_STEP_ERROR), failed),
    cancel: () => end(styleText('red', S_STEP_CANCEL), current),
  };
}
