import type { Reporter, SerializedError, TestModule } from 'vitest/node';

/** What a run came to: tests that passed, failed and were skipped, and failures outside tests. */
export interface RunCounts {
  passed: number;
  failed: number;
  skipped: number;
}

/**
 * Counts a run. A test file that failed without a failed test (it did not load, or a hook or
 * the file itself threw) counts as one failure, and so does each unhandled error, so a broken
 * run can never close on "0 failed".
 */
export function countRun(
  testModules: ReadonlyArray<TestModule>,
  unhandledErrors: ReadonlyArray<unknown> = [],
): RunCounts {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  for (const module of testModules) {
    let failedTests = 0;
    for (const test of module.children.allTests()) {
      const state = test.result().state;
      if (state === 'passed') counts.passed += 1;
      else if (state === 'failed') failedTests += 1;
      else counts.skipped += 1;
    }
    const fileFailed = module.state() === 'failed' || module.errors().length > 0;
    counts.failed += failedTests === 0 && fileFailed ? 1 : failedTests;
  }
  counts.failed += unhandledErrors.length;
  return counts;
}

/**
 * Prints one plain closing line, `vitest: N passed, N failed, N skipped`, after vitest's own
 * summary, so a CI log reader that does not know vitest still sees what ran. Failed files and
 * unhandled errors count as failures ({@link countRun}).
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(
    testModules: ReadonlyArray<TestModule>,
    unhandledErrors: ReadonlyArray<SerializedError>,
  ): void {
    const counts = countRun(testModules, unhandledErrors);
    process.stdout.write(
      `\nvitest: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`,
    );
  }
}
