// Gate: the operator's console (plugins/console) in Debian's Chromium, driven by puppeteer-core
// over the DevTools protocol, against the real portico with the shipped config:
// - page loads of the public site in both locales show up in the console's charts and top lists
//   after the next insights flush (INSIGHTS_FLUSH_SECONDS=1);
// - two messages sent through the contact forms: one marked answered, the other deleted through
//   the confirmation step, and both changes are still there after a restart on the same data;
// - a POST without the CSRF token is refused (403) and changes nothing;
// - the console pages pass the Nu HTML Checker with zero errors and zero warnings, and the
//   dashboard scores 100 in Lighthouse accessibility (desktop, one run: about 15 s).
// UPDATE_VISUAL=1 also writes the README's screenshots docs/img/console-1280.png and
// console-390.png. Usage: node console.mjs BUILD_DIR
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import desktopConfig from 'lighthouse/core/config/desktop-config.js';
import puppeteer from 'puppeteer-core';

import { checkHtml, fail, fetchRaw, sourceDir, startPortico } from './site.mjs';

const buildDir = process.argv[2] || fail('usage: node console.mjs BUILD_DIR');
const chromePath = process.env.CHROME_PATH || '/usr/bin/chromium';
if (!fs.existsSync(chromePath)) fail(`${chromePath}: no Chromium (Debian: chromium; or set CHROME_PATH)`);
const flags = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--font-render-hinting=none', '--force-color-profile=srgb', '--hide-scrollbars',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const t0 = Date.now();

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-console-'));
const env = { INSIGHTS_FLUSH_SECONDS: '1' };
let server = await startPortico(buildDir, { dataDir, env });
if (!server.admin) fail('portico printed no admin listener');
const chrome = await chromeLauncher.launch({ chromePath, chromeFlags: flags, logLevel: 'silent' });
const browser = await puppeteer.connect({ browserURL: `http://127.0.0.1:${chrome.port}` });
const checked = [];  // console pages for the Nu HTML Checker
try {
  const tab = await browser.newPage();
  await tab.setViewport({ width: 1280, height: 800, deviceScaleFactor: 1 });
  // Headless Chromium says "HeadlessChrome", which the insights plugin rightly counts as a bot;
  // the browser's own agent string without that word is what a visitor's Chromium sends.
  const agent = (await browser.userAgent()).replace('HeadlessChrome', 'Chrome');
  await tab.setUserAgent(agent);
  const go = async (url, status = 200) => {
    const res = await tab.goto(url, { waitUntil: 'load' });
    if (res.status() !== status) fail(`${url} answered ${res.status()}, expected ${status}`);
    return res;
  };
  const text = () => tab.evaluate(() => document.body.innerText);
  const keep = async (name) => checked.push({ name, html: await tab.content() });

  // Real page loads in both locales, and two messages through the contact forms.
  for (const p of ['/de/', '/en/', '/de/projekte/', '/en/projects/']) await go(server.base + p);
  const senders = [['/en/contact/', 'Ada Answered'], ['/de/kontakt/', 'Dora Deleted']];
  for (const [p, name] of senders) {
    await go(server.base + p);
    await sleep(3500);  // the form's min_fill_seconds
    await tab.type('input[name=name]', name);
    await tab.type('input[name=email]', 'visitor@example.com');
    await tab.type('textarea[name=message]', `Hello from ${name}, a test of the console.`);
    await tab.$eval('input[name=consent]', (box) => { box.checked = true; });
    await Promise.all([tab.waitForNavigation({ waitUntil: 'load' }), tab.click('form [type=submit]')]);
    if (!/danke|thanks/.test(tab.url())) fail(`${p}: the form led to ${tab.url()}, not its thank-you page`);
  }

  // The next flush writes them; the dashboard then counts every page load in both locales.
  let counted = false;
  for (let i = 0; i < 30 && !counted; i += 1) {
    await go(`${server.admin}/?lang=en&days=7`);
    const views = Number((/Page views: (\d+)/.exec(await text()) || [])[1]);
    const locales = await tab.$$eval('#traffic table', (tables) => tables.map((t) => t.innerText).join('\n'));
    counted = views >= 6 && /\bde\b/.test(locales) && /\ben\b/.test(locales) && /\/en\/projects\//.test(locales);
    if (!counted) await sleep(1000);
  }
  if (!counted) fail(`the dashboard does not show the page loads after the flush:\n${await text()}`);
  if (!(await tab.$('#traffic svg.chart[role=img] rect.views[height]'))) fail('no chart of page views');
  if (!/Ada Answered/.test(await text()) || !/Dora Deleted/.test(await text())) fail('the inbox lacks the messages');
  await keep('/?lang=en&days=7');
  await go(`${server.admin}/?lang=de&days=365`);
  if (!/Besucher und Seitenaufrufe/.test(await text())) fail('the German dashboard is not German');
  await keep('/?lang=de&days=365');

  if (process.env.UPDATE_VISUAL === '1') {
    await go(`${server.admin}/?lang=en&days=7`);
    for (const width of [1280, 390]) {
      await tab.setViewport({ width, height: 800, deviceScaleFactor: 1 });
      await tab.screenshot({ path: path.join(sourceDir, 'docs', 'img', `console-${width}.png`), fullPage: true });
    }
    await tab.setViewport({ width: 1280, height: 800, deviceScaleFactor: 1 });
    console.log('console: wrote docs/img/console-1280.png and docs/img/console-390.png');
  }

  // A POST without the CSRF token is refused and changes nothing.
  await go(`${server.admin}/?lang=en`);
  const idOf = async (name) => tab.$$eval('#inbox tbody a', (links, n) =>
    links.find((a) => a.closest('tr').innerText.includes(n))?.getAttribute('href'), name);
  const adaLink = await idOf('Ada Answered');
  const adaId = new URL(adaLink, server.admin).searchParams.get('id');
  const forged = await fetchRaw(server.admin, '/console/message/answer', {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: `id=${adaId}` });
  if (forged.status !== 403) fail(`a POST without the CSRF token answered ${forged.status}`);

  // Mark one answered, delete the other through the confirmation page.
  await go(new URL(adaLink, server.admin).href);
  await keep('message');
  await Promise.all([tab.waitForNavigation({ waitUntil: 'load' }),
    tab.click('form[action="/console/message/answer"] button')]);
  if (!/answered 20\d\d-/.test(await text())) fail(`marking answered did not show:\n${await text()}`);
  await go(`${server.admin}/?lang=en`);
  await go(new URL(await idOf('Dora Deleted') ?? fail('no link to Dora\'s message'), server.admin).href);
  await Promise.all([tab.waitForNavigation({ waitUntil: 'load' }), tab.click('a.danger')]);
  await keep('confirm delete');
  await Promise.all([tab.waitForNavigation({ waitUntil: 'load' }),
    tab.click('form[action="/console/message/delete"] button')]);
  if (/Dora Deleted/.test(await text())) fail('the deleted message is still listed');

  // Lighthouse accessibility on the dashboard, on the same Chromium.
  const lhr = (await lighthouse(`${server.admin}/?lang=en`, { port: chrome.port, logLevel: 'error' }, {
    ...desktopConfig,
    settings: { ...desktopConfig.settings, onlyCategories: ['accessibility'], disableFullPageScreenshot: true },
  })).lhr;
  const score = Math.round((lhr.categories.accessibility.score ?? 0) * 100);
  console.log(`console: Lighthouse accessibility ${score} (desktop)`);
  if (score < 100) {
    for (const ref of lhr.categories.accessibility.auditRefs) {
      const a = lhr.audits[ref.id];
      if (ref.weight > 0 && a.score !== null && a.score < 1) console.log(`  ${ref.id}: ${a.title}`);
    }
    fail(`Lighthouse accessibility ${score} on the console, below 100`);
  }

  // A restart on the same data keeps both changes.
  await server.stop();
  server = await startPortico(buildDir, { dataDir, env });
  await go(`${server.admin}/?lang=en`);
  const inbox = await tab.$eval('#inbox', (s) => s.innerText);
  if (!/Ada Answered[\s\S]*answered/.test(inbox) || /Dora Deleted/.test(inbox)) {
    fail(`after the restart the inbox is not as left:\n${inbox}`);
  }
} catch (e) {
  await chrome.kill();
  fail(e.stack);
} finally {
  await browser.disconnect();
  await chrome.kill();
  await server.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
}
checkHtml(checked);
console.log(`console: every check passed in ${Math.round((Date.now() - t0) / 1000)} s`);
