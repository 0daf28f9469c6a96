#!/usr/bin/env node
// actions-log.mjs - shows an action's stdout as the Actions UI shows it: workflow commands
// applied, not printed. `::add-mask::V` hides V (as `***`) in every later line, `::group::T`
// opens a fold (printed as `▾ T`, its lines indented), `::error::` / `::warning::` /
// `::notice::` become annotations (`Error: ...`), `::debug::` lines show only with
// ACTIONS_STEP_DEBUG=true, state and output commands vanish, and between `::stop-commands::T`
// and `::T::` nothing is a command. Used by the demo: stdin -> stdout.
import process from 'node:process';
import { createInterface } from 'node:readline';

/** A filter with its state (masks, group, stop token): `line` returns what to print, or null. */
export function createActionsLog({ debug = false } = {}) {
  const masks = [];
  let inGroup = false;
  let stopToken = null;

  const unescape = (text) =>
    text.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
  const mask = (text) => masks.reduce((result, value) => result.split(value).join('***'), text);
  const indent = (text) => (inGroup ? text.replace(/^/gm, '  ') : text);

  return {
    line(raw) {
      const command = /^::([a-z-]+)(?: [^:]*)?::(.*)$/i.exec(raw);
      if (stopToken !== null) {
        if (raw === `::${stopToken}::`) stopToken = null;
        return stopToken === null ? null : indent(mask(raw));
      }
      if (!command) return indent(mask(raw));
      const [, name, rest] = command;
      const value = unescape(rest);
      switch (name) {
        case 'add-mask':
          for (const part of new Set([value, ...value.split('\n')]))
            if (part.trim() && !masks.includes(part)) masks.push(part);
          masks.sort((a, b) => b.length - a.length);
          return null;
        case 'group':
          inGroup = true;
          return `▾ ${mask(value)}`;
        case 'endgroup':
          inGroup = false;
          return null;
        case 'error':
        case 'warning':
        case 'notice':
          return indent(`${name[0].toUpperCase()}${name.slice(1)}: ${mask(value)}`);
        case 'debug':
          return debug ? indent(`##[debug]${mask(value)}`) : null;
        case 'stop-commands':
          stopToken = rest;
          return null;
        case 'save-state':
        case 'set-output':
        case 'set-env':
        case 'add-path':
        case 'echo':
          return null;
        default:
          return indent(mask(raw));
      }
    },
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const log = createActionsLog({ debug: process.env.ACTIONS_STEP_DEBUG === 'true' });
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (raw) => {
    const shown = log.line(raw);
    if (shown !== null) process.stdout.write(shown + '\n');
  });
}
