/**
 * Every secret the run holds, from its inputs and obtained while it runs (a registry login from
 * DigitalOcean, the docker auth written to a host): masked in the log the moment it is known,
 * and kept so that text sent elsewhere (Slack) can be redacted the same way.
 */
import * as core from '@actions/core';

/** Shorter values are not masked: they would blank out ordinary words. */
const MIN_LENGTH = 4;

const known = new Set<string>();

/**
 * Masks `value` and the forms a log could show it in: each line of a multi-line value and
 * the base64 of each; remembered for `redact`. Each form is registered with the runner once,
 * however often it is met.
 */
export function registerSecret(value: string | undefined): void {
  if (!value) return;
  const lines = value.split(/\r?\n/).map((line) => line.trim());
  for (const form of new Set([value, ...lines])) {
    if (form.length < MIN_LENGTH) continue;
    for (const masked of [form, Buffer.from(form).toString('base64')]) {
      if (known.has(masked)) continue;
      known.add(masked);
      core.setSecret(masked);
    }
  }
}

/** The registered secrets, longest first (so one inside another leaves no piece showing). */
export function registeredSecrets(): string[] {
  return [...known].sort((a, b) => b.length - a.length);
}

/** `text` with every registered secret (and each of `extra`) replaced by `***`. */
export function redact(text: string, extra: readonly string[] = []): string {
  const values = [
    ...new Set([...registeredSecrets(), ...extra.filter((v) => v.length >= MIN_LENGTH)]),
  ].sort((a, b) => b.length - a.length);
  return values.reduce((result, value) => result.split(value).join('***'), text);
}

/** Forgets every secret: for tests. */
export function forgetSecrets(): void {
  known.clear();
}
