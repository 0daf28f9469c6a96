#!/usr/bin/env node
// readme-tables.mjs - writes README.md's inputs and outputs tables from action.yml, between the
// markers <!-- inputs:start --> / <!-- inputs:end --> and <!-- outputs:start --> / <!-- outputs:end -->.
// `node scripts/readme-tables.mjs --check` exits 1 when README.md is not what it would write.
/* global process, console */
import { readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const action = parse(readFileSync('action.yml', 'utf8'));
const cell = (text) => String(text).replace(/\s+/g, ' ').trim().replace(/\|/g, '\\|');

export function inputsTable() {
  const rows = Object.entries(action.inputs).map(([name, input]) => {
    const fallback = input.required
      ? '(required)'
      : input.default === '' || input.default === undefined
        ? ''
        : `\`${input.default}\``;
    return `| \`${name}\` | ${cell(fallback)} | ${cell(input.description)} |`;
  });
  return ['| Input | Default | Description |', '| --- | --- | --- |', ...rows].join('\n');
}

export function outputsTable() {
  const rows = Object.entries(action.outputs).map(
    ([name, output]) => `| \`${name}\` | ${cell(output.description)} |`,
  );
  return ['| Output | Description |', '| --- | --- |', ...rows].join('\n');
}

function replaceBetween(text, name, table) {
  const pattern = new RegExp(`(<!-- ${name}:start -->)[\\s\\S]*?(<!-- ${name}:end -->)`);
  if (!pattern.test(text))
    throw new Error(`README.md has no <!-- ${name}:start --> ... <!-- ${name}:end --> markers`);
  return text.replace(pattern, (_, start, end) => `${start}\n${table}\n${end}`);
}

const readme = readFileSync('README.md', 'utf8');
const next = replaceBetween(
  replaceBetween(readme, 'inputs', inputsTable()),
  'outputs',
  outputsTable(),
);
if (process.argv.includes('--check')) {
  if (next !== readme) {
    console.error('README.md tables differ from action.yml: run `npm run docs`');
    process.exit(1);
  }
} else {
  writeFileSync('README.md', next);
}
