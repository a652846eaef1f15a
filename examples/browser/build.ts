/**
 * Builds the browser page of docs/browser.md with esbuild, reports its size, and serves it.
 *
 *   npx tsx examples/browser/build.ts            # build into examples/browser/dist/, print sizes
 *   npx tsx examples/browser/build.ts --serve    # the same, then serve it on http://127.0.0.1:8080/
 *   npx tsx examples/browser/build.ts --serve --port 0   # any free port
 *
 * The bundle resolves `smartcard-2fa/*` to `src/` through tsconfig.json's `paths`, as the
 * examples do, and uses the browser's own WebCrypto: nothing Node-only is bundled.
 * tests/browser/sign-in.test.ts builds the page with `buildPage` and serves it with `servePage`.
 */
import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { type BuildOptions, build, type Metafile } from 'esbuild';

const here = fileURLToPath(new URL('.', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Where the CLI writes the page (git-ignored). */
export const DIST = join(here, 'dist');

/** The bundles measured: the page itself, and what a sign-in page needs without the CA. */
export const BUNDLES = {
  /** The whole page: CA, enrollment, card, Authenticator, sign-in machine and its UI. */
  page: 'examples/browser/main.ts',
  /** Sign-in only: the machine, the in-page Authenticator and the virtual card; no CA. */
  signInOnly: [
    "export { MemoryStore, SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';",
    "export { createSignInMachine, Secret, viewSignIn } from 'smartcard-2fa/session';",
    "export { Authenticator } from 'smartcard-2fa/server';",
    "export { createActor } from 'xstate';",
  ].join('\n'),
  /** The client of a remote server: the machine and the virtual card; no CA, no Authenticator. */
  client: [
    "export { MemoryStore, SoftwareTpm, VirtualSmartCard } from 'smartcard-2fa/card';",
    "export { createSignInMachine, Secret, viewSignIn } from 'smartcard-2fa/session';",
    "export { createActor } from 'xstate';",
  ].join('\n'),
} as const;

export type BundleName = keyof typeof BUNDLES;

/** What went into a bundle, grouped by npm package or by SDK folder, in minified bytes. */
export interface BundleInput {
  readonly group: string;
  readonly bytes: number;
}

export interface BundleReport {
  readonly name: BundleName;
  /** Minified bytes. */
  readonly minified: number;
  /** Those bytes gzipped (level 9). */
  readonly gzipped: number;
  /** Every file esbuild read, relative to the repository. */
  readonly files: readonly string[];
  /** The biggest contributors first. */
  readonly inputs: readonly BundleInput[];
  /** The bundle itself. */
  readonly code: Uint8Array;
}

const options = {
  bundle: true,
  minify: true,
  format: 'esm',
  target: 'es2022',
  platform: 'browser',
  // `smartcard-2fa/*` → src/*/index.ts, through tsconfig.json's `paths`.
  tsconfig: join(root, 'tsconfig.json'),
  absWorkingDir: root,
  write: false,
  metafile: true,
  logLevel: 'silent',
  legalComments: 'none',
} satisfies BuildOptions;

/** Bundles one of {@link BUNDLES} in memory and measures it. */
export async function bundle(name: BundleName): Promise<BundleReport> {
  const source = BUNDLES[name];
  const result = await build({
    ...options,
    ...(name === 'page'
      ? { entryPoints: [source] }
      : { stdin: { contents: source, resolveDir: root, loader: 'ts', sourcefile: `${name}.ts` } }),
    outfile: `${name}.js`,
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error(`esbuild wrote nothing for ${name}`);
  return {
    name,
    minified: output.contents.byteLength,
    gzipped: gzipSync(output.contents, { level: 9 }).byteLength,
    files: Object.keys(result.metafile.inputs),
    inputs: groupInputs(result.metafile),
    code: output.contents,
  };
}

/** Sums each input's bytes in the output by package (`pkijs`) or SDK folder (`src/session/path`). */
function groupInputs(metafile: Metafile): BundleInput[] {
  const sums = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [path, { bytesInOutput }] of Object.entries(output.inputs)) {
      const group = groupOf(path);
      sums.set(group, (sums.get(group) ?? 0) + bytesInOutput);
    }
  }
  return [...sums]
    .map(([group, bytes]) => ({ group, bytes }))
    .filter((input) => input.bytes > 0)
    .sort((a, b) => b.bytes - a.bytes);
}

function groupOf(path: string): string {
  const inModules = path.split('node_modules/').at(-1);
  if (inModules !== undefined && inModules !== path) {
    const [scope, name] = inModules.split('/');
    return scope?.startsWith('@') ? `${scope}/${name}` : (scope ?? path);
  }
  const parts = path.split('/');
  if (parts[0] !== 'src') return path;
  // src/enrollment/ca/x509.ts → src/enrollment/ca; src/crypto.ts → src
  return parts.slice(0, Math.max(1, Math.min(parts.length - 1, 3))).join('/');
}

/** The page built into `outdir`: main.js, index.html and style.css, and its size report. */
export async function buildPage(outdir: string = DIST): Promise<BundleReport> {
  const report = await bundle('page');
  await mkdir(outdir, { recursive: true });
  await writeFile(join(outdir, 'main.js'), report.code);
  await copyFile(join(here, 'index.html'), join(outdir, 'index.html'));
  await copyFile(join(here, 'style.css'), join(outdir, 'style.css'));
  return report;
}

const TYPES: Record<string, string> = {
  '/index.html': 'text/html; charset=utf-8',
  '/main.js': 'text/javascript; charset=utf-8',
  '/style.css': 'text/css; charset=utf-8',
};

export interface PageServer {
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves a built page on 127.0.0.1 only: its three files, nothing else (404). */
export async function servePage(dir: string = DIST, port = 0): Promise<PageServer> {
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const file = path === '/' ? '/index.html' : path;
    const type = TYPES[file];
    if (request.method !== 'GET' || type === undefined) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    readFile(join(dir, file)).then(
      (body) =>
        response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(body),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('not built'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Bytes as docs/browser.md shows them: kB of 1000 bytes, one decimal. */
export function kB(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

async function main(args: readonly string[]): Promise<void> {
  const page = await buildPage();
  console.log(`built ${join('examples/browser/dist', 'main.js')}`);
  const reports = [page, await bundle('signInOnly'), await bundle('client')];
  console.log('\n| bundle | minified | gzipped |\n| --- | ---: | ---: |');
  for (const report of reports) {
    console.log(`| ${report.name} | ${kB(report.minified)} | ${kB(report.gzipped)} |`);
  }
  for (const report of reports) {
    console.log(`\n${report.name}: biggest inputs (minified bytes in the bundle)`);
    for (const input of report.inputs.slice(0, 10)) {
      console.log(`  ${input.group.padEnd(28)} ${kB(input.bytes).padStart(9)}`);
    }
  }
  if (!args.includes('--serve')) return;
  const at = args.indexOf('--port');
  const port = at === -1 ? 8080 : Number(args[at + 1]);
  const server = await servePage(DIST, port);
  console.log(`\nserving ${server.url} (Ctrl-C stops)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href)
  await main(process.argv.slice(2));
