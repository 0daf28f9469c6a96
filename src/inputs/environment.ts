/**
 * The environment variables the action reads besides its inputs, checked with them: any earlier
 * step of the job can set one through GITHUB_ENV, so a bad value fails the run as bad input
 * does, before any host is touched and before any token is sent.
 */
import { ApiUrlOverrideError, checkApiUrlOverrides } from '../http/api-url-override.js';
import { InputError } from './read.js';

/** An environment variable the action refuses; reported like an invalid input. */
export class EnvironmentError extends InputError {
  constructor(variable: string, message: string) {
    super(variable, message);
    this.message = message;
    this.name = 'EnvironmentError';
  }
}

/** Throws `EnvironmentError` for an API URL override that is not a loopback address. */
export function checkEnvironment(env: NodeJS.ProcessEnv): void {
  try {
    checkApiUrlOverrides(env);
  } catch (error) {
    if (error instanceof ApiUrlOverrideError)
      throw new EnvironmentError(error.variable, error.message);
    throw error;
  }
}
