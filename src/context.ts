/**
 * Facts about the workflow run, from the environment the runner sets. Read directly instead of
 * through @actions/github: the action needs a handful of variables, not an API client.
 */
import { readFileSync } from 'node:fs';
import type { RunContext } from './types/report.js';

export type { RunContext } from './types/report.js';

/** Reads the run context from `GITHUB_*` variables and the event payload. */
export function getRunContext(env: NodeJS.ProcessEnv = process.env): RunContext {
  const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
  const repository = env.GITHUB_REPOSITORY || '';
  const sha = env.GITHUB_SHA || '';
  return {
    repository,
    sha,
    ref: env.GITHUB_REF_NAME || env.GITHUB_REF || '',
    actor: env.GITHUB_ACTOR || '',
    triggeringActor: env.GITHUB_TRIGGERING_ACTOR || env.GITHUB_ACTOR || '',
    workflow: env.GITHUB_WORKFLOW || '',
    serverUrl,
    runUrl:
      repository && env.GITHUB_RUN_ID
        ? `${serverUrl}/${repository}/actions/runs/${env.GITHUB_RUN_ID}`
        : '',
    commitUrl: repository && sha ? `${serverUrl}/${repository}/commit/${sha}` : '',
    commitTitle: commitTitle(env.GITHUB_EVENT_PATH),
  };
}

function commitTitle(eventPath: string | undefined): string {
  if (!eventPath) return '';
  try {
    const event = JSON.parse(readFileSync(eventPath, 'utf8')) as {
      head_commit?: { message?: string };
    };
    return (event.head_commit?.message ?? '').split('\n')[0];
  } catch {
    return '';
  }
}
