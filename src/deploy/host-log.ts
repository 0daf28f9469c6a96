/**
 * The log of one host's deploy. With one host (or one at a time) it streams, a group per step;
 * with several hosts in parallel, each step's lines are held back and printed as one group when
 * the step ends, so groups of different hosts never interleave. Every line names its host.
 * Messages may quote what a host printed: they are printed as text, never as workflow commands.
 */
import * as core from '@actions/core';
import { printUntrusted } from '../remote-text.js';

/** Where a host's deploy writes its log. */
export interface HostLog {
  /** Runs `body` as a named step: a collapsible group in the log. */
  group<T>(name: string, body: () => Promise<T>): Promise<T>;
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

/** Streams to the log as things happen. */
export function streamingLog(host: string): HostLog {
  return {
    group: (name, body) => core.group(`${host}: ${name}`, body),
    info: (message) => printUntrusted(message, core.info),
    warning: (message) => core.warning(`${host}: ${message}`),
    error: (message) => core.error(`${host}: ${message}`),
    debug: (message) => core.debug(`${host}: ${message}`),
  };
}

/** Holds each step's lines and prints the step as one group when it ends. */
export function bufferedLog(host: string): HostLog {
  let lines: string[] | null = null;
  const line = (message: string) => {
    const text = message
      .split('\n')
      .map((part) => `[${host}] ${part}`)
      .join('\n');
    if (lines) lines.push(text);
    else printUntrusted(text, core.info);
  };
  return {
    async group(name, body) {
      lines = [];
      const started = Date.now();
      try {
        return await body();
      } finally {
        const held = lines;
        lines = null;
        core.startGroup(`${host}: ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
        for (const text of held) printUntrusted(text, core.info);
        core.endGroup();
      }
    },
    info: line,
    warning: (message) => core.warning(`${host}: ${message}`),
    error: (message) => core.error(`${host}: ${message}`),
    debug: (message) => core.debug(`${host}: ${message}`),
  };
}
