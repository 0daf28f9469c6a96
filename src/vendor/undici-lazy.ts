/**
 * `undici` as the bundle sees it (tsconfig.json `paths`). @actions/core imports undici at load
 * (through @actions/http-client, for a proxy agent this action never asks it for), and undici
 * compiles its HTTP parser's WebAssembly at load: about 60 ms of every start, for nothing. Here
 * the real undici is a chunk of its own, loaded by `loadUndici()` before Octokit (whose proxy
 * support is its only user) is made.
 */
import type * as Undici from 'undici/index.js';

let real: typeof Undici | undefined;

/** Loads the real undici; `ProxyAgent` and `fetch` work once this has resolved. */
export async function loadUndici(): Promise<void> {
  real ??= (await import('undici/index.js')) as typeof Undici;
}

function loaded(): typeof Undici {
  if (!real) throw new Error('undici used before loadUndici()');
  return real;
}

export class ProxyAgent {
  constructor(...args: ConstructorParameters<typeof Undici.ProxyAgent>) {
    return new (loaded().ProxyAgent)(...args);
  }
}

export const fetch: typeof Undici.fetch = (...args) => loaded().fetch(...args);
