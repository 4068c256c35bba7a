// Starts the real portico with the shipped config/portico.json (temporary data_dir, a free port on
// 127.0.0.1) and collects the site's pages over HTTP, for the quality gates in this folder.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const sourceDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const children = new Set();  // portico processes to end when a gate fails

export function fail(message) {
  console.error(`FAIL: ${message}`);
  for (const child of children) child.kill('SIGTERM');
  process.exit(1);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// `portico serve --config config/portico.json` from the build directory `buildDir`. `dataDir`
// (kept on stop) instead of a fresh temporary one, for a restart on the same data; `env` adds to
// the environment. The answer's `admin` is the admin listener's base URL.
export async function startPortico(buildDir, { dataDir: keptDir, env = {} } = {}) {
  const bin = path.resolve(buildDir, 'bin', 'portico');
  if (!fs.existsSync(bin)) fail(`${bin}: no portico binary (build first)`);
  const port = await freePort();
  const dataDir = keptDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'portico-e2e-'));
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(bin, ['serve', '--config', 'config/portico.json'], {
    cwd: sourceDir,
    env: {
      ...process.env,
      PORTICO_ADDRESS: '127.0.0.1',
      PORTICO_PORT: String(port),
      PORTICO_ADMIN_PORT: '0',
      PORTICO_DATA_DIR: dataDir,
      SITE_URL: base,
      CONTACT_SECRET: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    children.delete(child);
    resolve(code ?? signal);
  }));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`portico did not start in 30 s:\n${output}`)), 30000);
    const look = (chunk) => {
      output += chunk;
      if (output.includes('portico listening on')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    exited.then((code) => reject(new Error(`portico exited (${code}) before listening:\n${output}`)));
  }).catch((e) => fail(e.message));
  const admin = output.match(/admin listener on (http:\/\/[0-9.]+:[0-9]+)/)?.[1];
  return {
    base,
    admin,
    async stop() {
      child.kill('SIGTERM');
      const code = await exited;
      children.delete(child);
      if (!keptDir) fs.rmSync(dataDir, { recursive: true, force: true });
      if (code !== 0) fail(`portico exited with ${code}:\n${output}`);
    },
  };
}

// One request; the body comes back as sent (not decompressed).
export function fetchRaw(base, target, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(target, base), { method, headers }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.setTimeout(10000, () => req.destroy(new Error(`${target}: no answer in 10 s`)));
    if (body) req.write(body);
    req.end();
  });
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function internalLinks(html) {
  const out = new Set();
  for (const m of html.matchAll(/\shref="(\/[^"#?]*)[^"]*"/g)) {
    if (!m[1].startsWith('/assets/')) out.add(m[1]);
  }
  return out;
}

// Every page of the site: the sitemap's URLs and the selector, crawled over internal links,
// 404 pages in and outside the locales, and the contact forms re-rendered with 422 (too quick,
// and with every field wrong). Returns [{name, path, status, html}].
export async function collectPages(base) {
  const pages = [];
  const sitemap = await fetchRaw(base, '/sitemap.xml');
  if (sitemap.status !== 200) fail(`/sitemap.xml answered ${sitemap.status}`);
  const queue = ['/', '/de/kontakt/danke/', '/en/contact/thanks/'];
  for (const m of sitemap.body.toString().matchAll(/<loc>([^<]+)<\/loc>/g)) {
    queue.push(new URL(m[1]).pathname);
  }
  const seen = new Set(queue);
  while (queue.length) {
    const p = queue.shift();
    const res = await fetchRaw(base, p);
    if (res.status !== 200) fail(`${p} answered ${res.status} (linked from the site)`);
    if (!String(res.headers['content-type']).startsWith('text/html')) continue;
    const html = res.body.toString();
    pages.push({ name: p, path: p, status: 200, html });
    for (const link of internalLinks(html)) {
      if (!seen.has(link)) {
        seen.add(link);
        queue.push(link);
      }
    }
  }
  for (const p of ['/de/gibt-es-nicht/', '/en/no-such-page/', '/no-such-page/']) {
    const res = await fetchRaw(base, p);
    if (res.status !== 404) fail(`${p} answered ${res.status}, expected 404`);
    pages.push({ name: `${p} (404)`, path: p, status: 404, html: res.body.toString() });
  }
  const forms = [];
  for (const p of ['/de/kontakt/', '/en/contact/']) {
    const res = await fetchRaw(base, p);
    const token = /name="token" value="([^"]+)"/.exec(res.body.toString());
    if (!token) fail(`${p}: no form token`);
    forms.push({ path: p, token: token[1] });
  }
  const post = async (p, body) => {
    const res = await fetchRaw(base, p, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
    });
    if (res.status !== 422) fail(`POST ${p} answered ${res.status}, expected 422`);
    return res.body.toString();
  };
  for (const f of forms) {
    const html = await post(f.path, `name=Ada&email=ada%40example.com&message=Hi&consent=yes&website=&token=${f.token}`);
    pages.push({ name: `${f.path} (422, too quick)`, path: f.path, status: 422, html });
  }
  await sleep(3300);  // past the shipped min_fill_seconds (3)
  for (const f of forms) {
    const html = await post(f.path, `name=&email=nope&company=&message=&website=&token=${f.token}`);
    if (!html.includes('aria-invalid="true"')) fail(`POST ${f.path}: no field marked invalid`);
    pages.push({ name: `${f.path} (422, fields wrong)`, path: f.path, status: 422, html });
  }
  return pages;
}

// Prints the size of every page and asset as sent with brotli, from `pages`' asset links.
export async function printSizes(base, pages) {
  const assets = new Set();
  for (const p of pages) {
    for (const m of p.html.matchAll(/(?:href|src|content)="(?:https?:\/\/[^/"]+)?(\/assets\/[^"]+)"/g)) assets.add(m[1]);
  }
  const rows = [];
  const paths = [...new Set(pages.filter((p) => p.status === 200).map((p) => p.path))];
  for (const p of [...paths, ...[...assets].sort()]) {
    const res = await fetchRaw(base, p, { headers: { 'Accept-Encoding': 'br' } });
    const plain = await fetchRaw(base, p);
    rows.push([p, plain.body.length, res.body.length, res.headers['content-encoding'] || 'identity']);
  }
  const width = Math.max(...rows.map((r) => r[0].length));
  console.log(`\n${'URL'.padEnd(width)}  ${'bytes'.padStart(7)}  ${'as sent'.padStart(7)}  encoding`);
  let total = 0;
  for (const [p, plain, sent, enc] of rows) {
    total += sent;
    console.log(`${p.padEnd(width)}  ${String(plain).padStart(7)}  ${String(sent).padStart(7)}  ${enc}`);
  }
  console.log(`${'total as sent'.padEnd(width)}  ${''.padStart(7)}  ${String(total).padStart(7)}`);
}

// The Nu HTML Checker (vnu.jar from npm, Debian's Java) on `pages` ([{name, html}]): prints every
// error and warning, fails the gate on any.
export function checkHtml(pages) {
  const vnuJar = createRequire(import.meta.url)('vnu-jar');
  const java = process.env.JAVA || 'java';
  if (spawnSync(java, ['-version']).status !== 0) fail(`${java}: no Java runtime (Debian: default-jre-headless)`);
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
  if (errors + warnings > 0) fail(`the Nu HTML Checker found ${errors} error(s) and ${warnings} warning(s)`);
}
