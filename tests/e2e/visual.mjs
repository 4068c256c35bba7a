// Gate: the key pages of the shipped site look as their committed references in tests/e2e/visual/
// say, at 390 px (a phone) and 1280 px (a laptop), in the light and the dark colour scheme, and the
// CV prints to at most two A4 pages in both locales.
//
// Debian's Chromium (never a downloaded one) takes full-page screenshots through puppeteer-core;
// ImageMagick's `compare -metric AE -fuzz` counts the pixels that differ by more than the fuzz, and
// a page fails when more than TOLERANCE of its pixels do (a different page height fails at once).
// The CV is printed with the dark scheme on: the print style must turn it into ink on white
// without the site's header and footer.
// On failure the new screenshot and a diff image (changed pixels in red) are written to
// BUILD_DIR/e2e-visual/, beside the two printed CVs. A change that moves pixels on purpose
// updates the references in the same commit: UPDATE_VISUAL=1 writes them (and the README's two
// home page screenshots in docs/img/) instead of comparing.
// Usage: node visual.mjs BUILD_DIR
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import puppeteer from 'puppeteer-core';

import { fail, sourceDir, startPortico } from './site.mjs';

const buildDir = process.argv[2] || fail('usage: node visual.mjs BUILD_DIR');
const chromePath = process.env.CHROME_PATH || '/usr/bin/chromium';
if (!fs.existsSync(chromePath)) fail(`${chromePath}: no Chromium (Debian: chromium; or set CHROME_PATH)`);
if (spawnSync('compare', ['-version']).status !== 0) fail('compare: no ImageMagick (Debian: imagemagick)');
const update = process.env.UPDATE_VISUAL === '1';
const refDir = path.join(sourceDir, 'tests', 'e2e', 'visual');
const outDir = path.join(path.resolve(buildDir), 'e2e-visual');
const FUZZ = '8%';          // colour distance below which a pixel counts as unchanged
const TOLERANCE = 0.002;    // share of a page's pixels that may change (anti-aliasing, not layout)
const MAX_CV_PAGES = 2;

const pages = [
  { name: 'home-en', path: '/en/' },
  { name: 'home-de', path: '/de/' },
  { name: 'projects-de', path: '/de/projekte/' },
  { name: 'skills-en', path: '/en/skills-services/' },
  { name: 'cv-en', path: '/en/cv/' },
  { name: 'note-en', path: '/en/notes/zero-downtime-deploys/' },  // table of contents, highlighted code
];
const viewports = [
  { width: 390, height: 844 },
  { width: 1280, height: 800 },
];
const schemes = ['light', 'dark'];
const cvs = [
  { name: 'cv-en', path: '/en/cv/' },
  { name: 'cv-de', path: '/de/lebenslauf/' },
];

// `compare` prints the count of differing pixels on stderr; exit status 2 is an error (such as
// images of different sizes), 1 "differ", 0 "same".
function differingPixels(reference, actual, diff) {
  const run = spawnSync('compare', ['-metric', 'AE', '-fuzz', FUZZ, reference, actual, diff], { encoding: 'utf8' });
  if (run.status === 2) return { error: run.stderr.trim() };
  return { pixels: Number.parseFloat(run.stderr) };
}

function pngSize(file) {
  const b = fs.readFileSync(file);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

// Screenshots are kept as 64-colour PNGs (undithered, so equal input gives equal output): a
// third of the bytes, and they differ from the full-colour shot in well under 0.1 % of pixels.
function quantize(file) {
  const run = spawnSync('convert', [file, '+dither', '-colors', '64', '-define', 'png:compression-level=9', `PNG8:${file}`], { encoding: 'utf8' });
  if (run.status !== 0) fail(`convert ${file}: ${run.stderr}`);
}

// Pages in Chromium's PDF: one /Type /Page object each (the /Pages tree nodes end in "s").
function pdfPageCount(buffer) {
  return (buffer.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) || []).length;
}

const t0 = Date.now();
fs.mkdirSync(outDir, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-visual-'));
const server = await startPortico(buildDir);
const browser = await puppeteer.launch({
  executablePath: chromePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--font-render-hinting=none',
    '--force-color-profile=srgb', '--hide-scrollbars', '--disable-background-networking', '--no-first-run'],
});
const failures = [];
let shots = 0;
try {
  const tab = await browser.newPage();
  await tab.setCacheEnabled(false);
  for (const scheme of schemes) {
    await tab.emulateMediaFeatures([
      { name: 'prefers-color-scheme', value: scheme },
      { name: 'prefers-reduced-motion', value: 'reduce' },
    ]);
    for (const vp of viewports) {
      await tab.setViewport({ ...vp, deviceScaleFactor: 1 });
      for (const p of pages) {
        const name = `${p.name}-${vp.width}-${scheme}.png`;
        const res = await tab.goto(server.base + p.path, { waitUntil: 'load' });
        if (res.status() !== 200) fail(`${p.path} answered ${res.status()}`);
        await tab.evaluate(() => document.fonts.ready);
        const actual = path.join(tmp, name);
        await tab.screenshot({ path: actual, fullPage: true });
        quantize(actual);
        shots += 1;
        const reference = path.join(refDir, name);
        if (update) {
          fs.mkdirSync(refDir, { recursive: true });
          fs.copyFileSync(actual, reference);
          continue;
        }
        if (!fs.existsSync(reference)) {
          failures.push(`${name}: no reference (run with UPDATE_VISUAL=1 and commit tests/e2e/visual/)`);
          fs.copyFileSync(actual, path.join(outDir, name));
          continue;
        }
        const size = pngSize(actual);
        const want = pngSize(reference);
        const diff = path.join(outDir, name.replace(/\.png$/, '.diff.png'));
        const r = size.width === want.width && size.height === want.height
          ? differingPixels(reference, actual, diff)
          : { error: `${size.width}x${size.height}, the reference is ${want.width}x${want.height}` };
        const limit = Math.round(size.width * size.height * TOLERANCE);
        if (r.error || r.pixels > limit) {
          fs.copyFileSync(actual, path.join(outDir, name));
          failures.push(`${name}: ${r.error ?? `${r.pixels} pixels differ (at most ${limit})`}; see ${outDir}`);
        } else {
          fs.rmSync(diff, { force: true });
          console.log(`visual: ${name}: ${r.pixels} of ${size.width * size.height} pixels differ`);
        }
      }
    }
  }
  if (update) {
    // The README's screenshots: the English home page at 1280x800, halved.
    await tab.setViewport({ width: 1280, height: 800, deviceScaleFactor: 1 });
    for (const scheme of schemes) {
      await tab.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: scheme }]);
      await tab.goto(`${server.base}/en/`, { waitUntil: 'load' });
      const shot = path.join(tmp, `readme-${scheme}.png`);
      await tab.screenshot({ path: shot });
      const out = path.join(sourceDir, 'docs', 'img', `home-${scheme}.png`);
      fs.mkdirSync(path.dirname(out), { recursive: true });
      const run = spawnSync('convert', [shot, '-resize', '50%', '-strip', '-colors', '128', out], { encoding: 'utf8' });
      if (run.status !== 0) fail(`convert ${out}: ${run.stderr}`);
    }
  }

  // Printed from a browser in the dark scheme, so the print style has to bring back ink on white.
  await tab.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
  for (const cv of cvs) {
    await tab.goto(server.base + cv.path, { waitUntil: 'load' });
    await tab.emulateMediaType('print');
    const printed = await tab.evaluate(() => {
      const style = (sel) => getComputedStyle(document.querySelector(sel));
      return {
        background: style('body').backgroundColor,
        text: style('body').color,
        header: style('.site-header').display,
        footer: style('.site-footer').display,
      };
    });
    await tab.emulateMediaType(null);
    const want = { background: 'rgb(255, 255, 255)', text: 'rgb(0, 0, 0)', header: 'none', footer: 'none' };
    for (const [what, value] of Object.entries(want)) {
      if (printed[what] !== value) failures.push(`${cv.path} in print: ${what} is ${printed[what]}, expected ${value}`);
    }
    const pdf = Buffer.from(await tab.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true }));
    const file = path.join(outDir, `${cv.name}.pdf`);
    fs.writeFileSync(file, pdf);
    const count = pdfPageCount(pdf);
    if (count < 1 || count > MAX_CV_PAGES) failures.push(`${cv.path} prints to ${count} pages (at most ${MAX_CV_PAGES}); see ${file}`);
    else console.log(`visual: ${cv.path} prints to ${count} A4 page${count === 1 ? '' : 's'} (${file})`);
  }
} finally {
  await browser.close();
  await server.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
}

const seconds = Math.round((Date.now() - t0) / 1000);
for (const f of failures) console.error(`visual: ${f}`);
if (update && !failures.length) {
  console.log(`visual: wrote ${shots} references to ${refDir} and docs/img/home-{light,dark}.png in ${seconds} s`);
  process.exit(0);
}
if (failures.length) fail(`${failures.length} of ${shots + cvs.length} visual checks failed`);
console.log(`visual: ${shots} screenshots and ${cvs.length} printed CVs match in ${seconds} s`);
