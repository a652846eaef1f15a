import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    // Examples import the package by its public name, as a user would.
    alias: [
      { find: /^smartcard-2fa$/, replacement: src('index.ts') },
      { find: /^smartcard-2fa\/(.+)$/, replacement: src('$1/index.ts') },
    ],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    reporters: ['default', './tests/support/summary-reporter.ts'],
    environment: 'node',
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 30_000,
  },
});
