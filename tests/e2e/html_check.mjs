// Gate: every page of the shipped site, in both locales, passes the Nu HTML Checker (vnu.jar)
// with zero errors and zero warnings (issue 17's bar). One JVM checks all pages. The sitemap must be valid
// against the sitemaps.org schema (sitemap.xsd as the npm package `sitemap` ships it), and every Atom
// feed a page links against RFC 4287's RELAX NG schema (atom.rng), both checked by xmllint from
// Debian's libxml2-utils. Also prints the size of each page and asset as sent
// (brotli). Usage: node html_check.mjs BUILD_DIR
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

import { checkHtml, collectPages, fail, fetchRaw, printSizes, startPortico } from './site.mjs';

const buildDir = process.argv[2] || fail('usage: node html_check.mjs BUILD_DIR');
if (spawnSync(process.env.JAVA || 'java', ['-version']).status !== 0) fail('java: no Java runtime (Debian: default-jre-headless)');

const server = await startPortico(buildDir);
const pages = await collectPages(server.base);
// Every Atom feed a page's head links (one per locale with notes), fetched before printSizes
// spends the rate limit's burst.
const feedPaths = new Set();
for (const p of pages) {
  for (const m of p.html.matchAll(/<link rel="alternate" type="application\/atom\+xml"[^>]* href="([^"]+)"/g)) feedPaths.add(m[1]);
}
const feeds = [];
for (const f of [...feedPaths].sort()) feeds.push({ path: f, res: await fetchRaw(server.base, f) });
await printSizes(server.base, pages);
const sitemap = await fetchRaw(server.base, '/sitemap.xml');
await server.stop();

// The feeds against RFC 4287's RELAX NG schema (atom.rng, converted from the RFC's atom.rnc).
if (feeds.length === 0) fail('no page links an Atom feed');
const atomRng = path.join(path.dirname(new URL(import.meta.url).pathname), 'atom.rng');
const feedDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-feed-'));
for (const f of feeds) {
  if (f.res.status !== 200) fail(`${f.path} answered ${f.res.status}`);
  const file = path.join(feedDir, 'feed.xml');
  fs.writeFileSync(file, f.res.body);
  const check = spawnSync('xmllint', ['--noout', '--nonet', '--relaxng', atomRng, file], { encoding: 'utf8' });
  if (check.status !== 0) fail(`${f.path} is not valid against the Atom RELAX NG schema:\n${check.stderr}`);
  console.log(`feed: ${f.path} is valid against the Atom RELAX NG schema (${f.res.body.length} bytes)`);
}
fs.rmSync(feedDir, { recursive: true, force: true });

// The sitemaps.org schema admits the xhtml:link alternates in <url> through a strict wildcard:
// xhtml_link.xsd declares that element, and a wrapper schema imports both.
if (sitemap.status !== 200) fail(`/sitemap.xml answered ${sitemap.status}`);
const sitemapXsd = path.join(path.dirname(createRequire(import.meta.url).resolve('sitemap/package.json')),
  'schema', 'sitemap.xsd');
const linkXsd = path.join(path.dirname(new URL(import.meta.url).pathname), 'xhtml_link.xsd');
const sitemapDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-sitemap-'));
const sitemapFile = path.join(sitemapDir, 'sitemap.xml');
const wrapperXsd = path.join(sitemapDir, 'all.xsd');
fs.writeFileSync(sitemapFile, sitemap.body);
fs.writeFileSync(wrapperXsd, `<?xml version="1.0" encoding="UTF-8"?>
<schema xmlns="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">
  <import namespace="http://www.sitemaps.org/schemas/sitemap/0.9" schemaLocation="file://${sitemapXsd}"/>
  <import namespace="http://www.w3.org/1999/xhtml" schemaLocation="file://${linkXsd}"/>
</schema>
`);
const lint = spawnSync('xmllint', ['--noout', '--nonet', '--schema', wrapperXsd, sitemapFile], { encoding: 'utf8' });
fs.rmSync(sitemapDir, { recursive: true, force: true });
if (lint.error) fail(`xmllint: ${lint.error.message} (Debian: libxml2-utils)`);
if (lint.status !== 0) fail(`/sitemap.xml is not valid against the sitemaps.org schema:\n${lint.stderr}`);
console.log(`sitemap: /sitemap.xml is valid against the sitemaps.org schema (${sitemap.body.length} bytes)`);

checkHtml(pages);
