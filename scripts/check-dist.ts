/**
 * Checks the built package (`dist/`) for what publint and are-the-types-wrong do not look at:
 * every JavaScript file names exactly one source map, and that map exists. Run by
 * `npm run check:package` after the build; exits 1 with the offending files.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const dist = new URL('../dist/', import.meta.url).pathname;
const problems: string[] = [];
let checked = 0;

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

for (const file of walk(dist).filter((path) => path.endsWith('.js'))) {
  checked += 1;
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.startsWith('//# sourceMappingURL='));
  const name = file.slice(dist.length);
  if (lines.length !== 1) {
    problems.push(`${name}: ${lines.length} sourceMappingURL lines (want 1)`);
    continue;
  }
  const map = (lines[0] as string).slice('//# sourceMappingURL='.length).trim();
  if (!existsSync(join(dirname(file), map))) problems.push(`${name}: its map ${map} is missing`);
}

if (checked === 0) problems.push('no JavaScript files in dist/: run npm run build first');
if (problems.length > 0) {
  console.error(`dist check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.warn(`dist check: ${checked} files, one source map each`);
