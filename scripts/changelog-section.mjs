#!/usr/bin/env node
// changelog-section.mjs VERSION [CHANGELOG.md]: prints the body of `## [VERSION] - YYYY-MM-DD`
// (the lines up to the next `## ` heading or the link definitions), the release's notes. Exits 1
// with a message when there is no such dated section, or when `## [Unreleased]` still lists
// changes: a release carries everything, and Unreleased starts again empty.
import { readFileSync } from 'node:fs';
import process from 'node:process';

const [version, file = 'CHANGELOG.md'] = process.argv.slice(2);
const die = (message) => {
  process.stderr.write(`changelog: ${message}\n`);
  process.exit(1);
};
if (!version) die('usage: changelog-section.mjs VERSION [CHANGELOG.md]');
const lines = readFileSync(file, 'utf8').split('\n');

/** The lines under the heading that `heading` matches, up to the next section. */
function section(heading) {
  const start = lines.findIndex((line) => heading.test(line));
  if (start < 0) return null;
  const rest = lines.slice(start + 1);
  const end = rest.findIndex((line) => /^## /.test(line) || /^\[[^\]]+\]: /.test(line));
  return rest.slice(0, end < 0 ? rest.length : end);
}

const escaped = version.replace(/[.+]/g, '\\$&');
const body = section(new RegExp(`^## \\[${escaped}\\] - \\d{4}-\\d{2}-\\d{2}\\s*$`));
if (body === null) die(`no dated section '## [${version}] - YYYY-MM-DD' in ${file}`);
const unreleased = section(/^## \[Unreleased\]\s*$/) ?? [];
if (unreleased.some((line) => /^\s*[-*] /.test(line)))
  die(`'## [Unreleased]' in ${file} still lists changes: move them under ${version}`);
const text = body.join('\n').trim();
if (text === '') die(`the section of ${version} in ${file} is empty`);
process.stdout.write(text + '\n');
