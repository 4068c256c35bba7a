// Gate: under `portico serve --watch`, a page open in Chromium reloads by itself after an author
// saves a Markdown page (written to a temporary file and renamed over, as editors do), and a
// broken save shows the error over the last good page instead; no CSP violation on the way.
//
// Runs the shipped config on a temporary copy of www/ and locales/ (PORTICO_SITE_DIR), with the
// data folder under BUILD_DIR so image variants and encodings are built once. Debian's Chromium
// through puppeteer-core (no browser download). Prints the edit-to-reload latency; asserts none.
// Usage: node livereload.mjs BUILD_DIR
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import puppeteer from 'puppeteer-core';

import { fail, sourceDir } from './site.mjs';

const buildDir = path.resolve(process.argv[2] || fail('usage: node livereload.mjs BUILD_DIR'));
const bin = path.join(buildDir, 'bin', 'portico');
if (!fs.existsSync(bin)) fail(`${bin}: no portico binary (build first)`);
const chromePath = process.env.CHROME_PATH || '/usr/bin/chromium';
if (!fs.existsSync(chromePath)) fail(`${chromePath}: no Chromium (Debian: chromium; or set CHROME_PATH)`);
const WAIT_MS = 10000;  // a bound for each step, not a measured figure

const site = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-livereload-'));
for (const dir of ['www', 'locales']) {
  fs.cpSync(path.join(sourceDir, dir), path.join(site, dir), { recursive: true });
}
const dataDir = path.join(buildDir, 'e2e-livereload-data');
fs.mkdirSync(dataDir, { recursive: true });

let output = '';
const child = spawn(bin, ['serve', '--watch', '--config', 'config/portico.json'], {
  cwd: sourceDir,
  env: {
    ...process.env,
    PORTICO_ADDRESS: '127.0.0.1',
    PORTICO_PORT: '0',
    PORTICO_ADMIN_PORT: '0',
    PORTICO_DATA_DIR: dataDir,
    PORTICO_SITE_DIR: site,
    CONTACT_SECRET: '',
    INSIGHTS_ENABLED: 'false',
  },
  stdio: ['ignore', 'pipe', 'pipe'],
});
const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
const waitForOutput = (text, ms) => new Promise((resolve, reject) => {
  const timer = setTimeout(() => reject(new Error(`no "${text}" from portico in ${ms} ms:\n${output}`)), ms);
  const look = () => {
    if (!output.includes(text)) return;
    clearTimeout(timer);
    resolve();
  };
  child.stdout.on('data', (c) => { output += c; look(); });
  child.stderr.on('data', (c) => { output += c; look(); });
  look();
});
const stopAll = (message) => {
  child.kill('SIGTERM');
  fs.rmSync(site, { recursive: true, force: true });
  fail(message);
};

await waitForOutput('portico listening on', 60000).catch((e) => stopAll(e.message));
const port = /listening on http:\/\/[^ ]*:(\d+)/.exec(output)[1];
const base = `http://127.0.0.1:${port}`;

// Saves `text` as an editor does: a hidden temporary file beside the page, renamed over it.
function saveByRename(rel, text) {
  const target = path.join(site, 'www', 'content', rel);
  const temp = path.join(path.dirname(target), `.${path.basename(target)}.tmp`);
  fs.writeFileSync(temp, text);
  fs.renameSync(temp, target);
}

const pageFile = 'en/about.md';
const original = fs.readFileSync(path.join(site, 'www', 'content', pageFile), 'utf8');
const marker = `Saved at ${Date.now()} while the tab was open.`;
const edited = `${original.trimEnd()}\n\n${marker}\n`;
const broken = original.replace(/^---\n/, '---\ntitel: a typo\n');

const browser = await puppeteer.launch({
  executablePath: chromePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--no-first-run'],
});
const problems = [];
try {
  const page = await browser.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' && !/EventSource|ERR_INCOMPLETE_CHUNKED|net::ERR/.test(m.text())) problems.push(m.text());
  });
  page.on('pageerror', (e) => problems.push(String(e)));
  let loads = 0;
  page.on('load', () => { loads += 1; });
  await page.goto(`${base}/en/about/`, { waitUntil: 'load' });
  await page.waitForFunction(() => document.documentElement.dataset.porticoLivereload === 'connected',
    { timeout: WAIT_MS });
  await page.evaluate(() => { window.porticoBeforeEdit = true; });

  const saved = Date.now();
  saveByRename(pageFile, edited);
  await page.waitForFunction((text) => document.body && document.body.textContent.includes(text),
    { timeout: WAIT_MS, polling: 20 }, marker);
  const latency = Date.now() - saved;
  if (await page.evaluate(() => window.porticoBeforeEdit === true)) {
    problems.push('the page shows the edit without having reloaded');
  }
  console.log(`edit saved -> open tab reloaded with the new text: ${latency} ms`);
  // Connected again, and it stays on the page: one reload per rebuild, never a loop.
  await page.waitForFunction(() => document.documentElement.dataset.porticoLivereload === 'connected',
    { timeout: WAIT_MS });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  if (loads !== 2) problems.push(`the page loaded ${loads} times for one edit (expected 2: first, reload)`);

  saveByRename(pageFile, broken);
  await page.waitForSelector('#portico-livereload-error', { timeout: WAIT_MS });
  const overlay = await page.$eval('#portico-livereload-error', (e) => e.textContent);
  if (!overlay.includes('unknown front-matter key "titel"')) problems.push(`overlay without the error: ${overlay}`);
  if (!(await page.evaluate((text) => document.body.textContent.includes(text), marker))) {
    problems.push('the last good page is gone after a broken save');
  }
  console.log('broken save -> overlay over the last good page');

  saveByRename(pageFile, original);
  await page.waitForFunction((text) => !document.getElementById('portico-livereload-error') &&
      document.documentElement.dataset.porticoLivereload === 'connected' &&
      !document.body.textContent.includes(text),
  { timeout: WAIT_MS, polling: 20 }, marker);
  console.log('fixed save -> reloaded, overlay gone');

  // The studio plugin claims its host name whole; the host's stream answers there too.
  const studio = await browser.newPage();
  studio.on('pageerror', (e) => problems.push(`studio: ${e}`));
  await studio.goto(`http://studio.localhost:${port}/`, { waitUntil: 'load' });
  await studio.waitForFunction(() => document.documentElement.dataset.porticoLivereload === 'connected',
    { timeout: WAIT_MS });
  console.log('studio.localhost -> connected');
} catch (e) {
  problems.push(e.message);
} finally {
  await browser.close();
}
child.kill('SIGTERM');
const code = await exited;
fs.rmSync(site, { recursive: true, force: true });
if (code !== 0) problems.push(`portico exited with ${code}`);
if (problems.length) fail(`${problems.join('\n')}\n--- portico output ---\n${output}`);
console.log('live reload gate: ok');
