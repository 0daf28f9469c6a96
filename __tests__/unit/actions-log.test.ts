/** scripts/actions-log.mjs shows the demo's log as the Actions UI would: commands applied. */
import { spawnSync } from 'node:child_process';

function show(input: string, env: Record<string, string> = {}): string {
  const run = spawnSync(process.execPath, ['scripts/actions-log.mjs'], {
    input,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
  expect(run.status).toBe(0);
  return run.stdout;
}

describe('actions-log', () => {
  it('hides mask commands and masks their values in every later line, a line of a multi-line value too', () => {
    const out = show(
      ['before s3cret', '::add-mask::s3cret', 'after s3cret', '::add-mask::one%0Atwo', 'two'].join(
        '\n',
      ),
    );
    expect(out).toBe('before s3cret\nafter ***\n***\n');
  });

  it('folds groups, turns annotations into their label, and drops state, output and debug lines', () => {
    const out = show(
      [
        '::group::Pulling images',
        'pulled',
        '::warning::slow%0Aregistry',
        '::endgroup::',
        '::save-state name=a::b',
        '::set-output name=status::ok',
        '::debug::internals',
        '::error::it failed',
      ].join('\n'),
    );
    expect(out).toBe('▾ Pulling images\n  pulled\n  Warning: slow\n  registry\nError: it failed\n');
  });

  it('shows debug lines with ACTIONS_STEP_DEBUG=true', () => {
    expect(show('::debug::internals\n', { ACTIONS_STEP_DEBUG: 'true' })).toBe(
      '##[debug]internals\n',
    );
  });

  it('treats nothing as a command between stop-commands and its token', () => {
    const out = show(
      ['::stop-commands::t0k', '::error::host text', '::t0k::', '::error::real'].join('\n'),
    );
    expect(out).toBe('::error::host text\nError: real\n');
  });
});
