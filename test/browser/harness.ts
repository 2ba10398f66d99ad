// What the browser tests share: the package built and bundled the way an app would, a page
// on its own origin, and Debian's Chromium with nothing that reaches beyond localhost.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';

const root = fileURLToPath(new URL('../../', import.meta.url));
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Why the browser tests are skipped, or false when they run. Without Chromium they cannot
 * run; under CI that is a failure, not a skip. CI is `CI=true` (or `1`), as CI services set
 * it: `CI=false` is a way to say "not CI", not a CI.
 */
export function skipReason(hasChromium: boolean, env: NodeJS.ProcessEnv): string | false {
  const onCI = /^(true|1)$/i.test(env.CI?.trim() ?? '');
  return !hasChromium && !onCI ? `needs ${CHROMIUM} (apt-get install chromium)` : false;
}

export const skip = skipReason(existsSync(CHROMIUM), process.env);

const HTML = `<!doctype html>
<meta charset="utf-8">
<title>groupme-push in a browser</title>
<p>State: <span id="state">idle</span></p>
<ul id="events"></ul>
<script type="module" src="/page.js"></script>`;

/** `npm run build`: the page imports the package by name, so it needs `dist/`. */
export async function buildPackage(): Promise<void> {
  await promisify(execFile)('npm', ['run', 'build', '--silent'], { cwd: root });
}

/** Bundles page.ts the way an app would: the package by name, for the browser. */
export async function bundlePage(): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL('page.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    write: false,
    logLevel: 'silent',
    absWorkingDir: root,
    // Not the repo's tsconfig: its `paths` would map the package name to src/.
    tsconfigRaw: {},
  });
  return result.outputFiles[0]!.text;
}

/** The page and its bundle on their own origin, apart from the look-alike server's. */
export async function servePage(script: string): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.url === '/page.js') res.writeHead(200, { 'content-type': 'text/javascript' }).end(script);
    else if (req.url === '/') res.writeHead(200, { 'content-type': 'text/html' }).end(HTML);
    else if (req.url === '/favicon.ico') res.writeHead(204).end();
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return { server, url: `http://127.0.0.1:${address.port}/` };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
}
