/**
 * `npm run demo`: smart card two-factor sign-in end to end with the SDK's embedded CA and
 * emulated cards. Enroll a blank card at the AD CS Smartcard User enrollment station, sign in
 * with it as the Lync/Skype for Business two-factor procedure has it (the forced PIN change
 * first), then Close, restore, Sign out with "Delete my sign-in information", sign in again,
 * and Exit.
 *
 * Interactive in a terminal (@clack/prompts); scripted, with fixed answers, when stdin is not a
 * terminal or with `--yes`. `--help` for the options; docs/demo.md describes it all.
 */
import { pathToFileURL } from 'node:url';
import { SmartCardError } from 'smartcard-2fa';
import { type DemoOptions, parseDemoArgs, USAGE, UsageError } from './args.js';
import { prepareCard } from './enroll.js';
import { interactiveUi } from './interactive-ui.js';
import { scriptedUi } from './scripted-ui.js';
import { signIn } from './sign-in.js';
import { openState } from './state.js';
import { demoTexts } from './texts/index.js';
import { DemoCancelled, type Ui } from './ui.js';

/** Runs the demo and answers its exit code: 0 done, 1 failed, 2 bad usage, 130 cancelled. */
export async function main(argv: readonly string[]): Promise<number> {
  let options: DemoOptions;
  try {
    options = parseDemoArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`demo: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const interactive = process.stdin.isTTY === true && !options.yes;
  const texts = demoTexts(options.locale);
  const ui = interactive ? interactiveUi(texts) : scriptedUi(texts);
  try {
    // Ctrl+C during a spinner does not wait for the card or the CA to finish.
    await Promise.race([walkThrough(ui, options), ui.cancelled]);
    return 0;
  } catch (error) {
    if (error instanceof DemoCancelled) {
      ui.outro(texts.cancelled);
      return 130;
    }
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
    // A bug (a TypeError, say) gets its stack; the SDK's errors and the demo's say enough.
    if (error instanceof Error && error.name !== 'Error' && !SmartCardError.is(error)) {
      process.stderr.write(`${error.stack ?? ''}\n`);
    }
    return 1;
  } finally {
    ui.close();
  }
}

async function walkThrough(ui: Ui, options: DemoOptions): Promise<void> {
  const texts = ui.texts;
  ui.intro(texts.intro(ui.interactive));
  const state = await openState(options.state);
  ui.info(texts.settings(options.card, options.locale, options.format, state.directory));
  if (!ui.interactive) ui.info(texts.scriptedAnswers);
  const ready = await prepareCard(ui, options, state);
  await signIn(ui, options, state, ready);
  ui.outro(state.directory === undefined ? texts.done : texts.doneKept(state.directory));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const code = await main(process.argv.slice(2));
  // Cancelled during a spinner, the card or the CA may still be working: do not wait for it.
  if (code === 130) process.exit(code);
  process.exitCode = code;
}
