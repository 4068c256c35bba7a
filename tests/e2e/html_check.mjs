// Gate: every page of the shipped site, in both locales, passes the Nu HTML Checker (vnu.jar)
// with zero errors; warnings are printed. One JVM checks all pages. Also prints the size of each
// page and asset as sent (brotli). Usage: node html_check.mjs BUILD_DIR
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { collectPages, fail, printSizes, startPortico } from './site.mjs';

const buildDir = process.argv[2] || fail('usage: node html_check.mjs BUILD_DIR');
const vnuJar = createRequire(import.meta.url)('vnu-jar');
const java = process.env.JAVA || 'java';
if (spawnSync(java, ['-version']).status !== 0) fail(`${java}: no Java runtime (Debian: default-jre-headless)`);

const server = await startPortico(buildDir);
const pages = await collectPages(server.base);
await printSizes(server.base, pages);
await server.stop();

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-vnu-'));
const files = new Map();
pages.forEach((p, i) => {
  const file = path.join(dir, `page-${String(i).padStart(3, '0')}.html`);
  fs.writeFileSync(file, p.html);
  files.set(`file:${file}`, p.name);
});
const run = spawnSync(java, ['-Xss4m', '-jar', vnuJar, '--format', 'json', '--stdout', '--exit-zero-always', ...[...files.keys()].map((u) => u.slice(5))], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
fs.rmSync(dir, { recursive: true, force: true });
if (run.status !== 0) fail(`vnu.jar exited with ${run.status}:\n${run.stderr}`);
let messages;
try {
  messages = JSON.parse(run.stdout).messages;
} catch (e) {
  fail(`cannot read vnu's JSON output: ${e.message}\n${run.stdout}\n${run.stderr}`);
}
let errors = 0;
let warnings = 0;
console.log(`\nNu HTML Checker on ${pages.length} pages:`);
for (const m of messages) {
  const page = files.get(m.url) || m.url;
  const isError = m.type === 'error' || m.type === 'non-document-error';
  if (isError) errors += 1;
  else if (m.subType === 'warning') warnings += 1;
  else continue;
  console.log(`  ${isError ? 'error' : 'warning'}: ${page}:${m.lastLine ?? '?'}: ${m.message}` +
    (m.extract ? `\n      ${m.extract.replace(/\n/g, ' ')}` : ''));
}
for (const p of pages) console.log(`  checked ${p.name}`);
console.log(`vnu: ${pages.length} pages, ${errors} errors, ${warnings} warnings`);
if (errors > 0) fail(`the Nu HTML Checker found ${errors} error(s)`);
