/** What the main step leaves the post step, and what the post step agrees to act on. */
import { jest } from '@jest/globals';
import { captureStdout } from '../support/capture.js';
import { refusal } from '../../src/post.js';
import { LeftoverTracker, readLeftovers } from '../../src/state.js';
import type { ConnectionInputs } from '../../src/types/settings.js';

afterEach(() => {
  jest.restoreAllMocks();
});

describe('leftovers', () => {
  const HOSTS = ['10.0.0.1', '10.0.0.2'];
  afterEach(() => {
    delete process.env['STATE_leftover-0'];
    delete process.env['STATE_leftover-1'];
  });

  it('saves every change at once, one small entry per host, as the runner will hand it back', () => {
    let saved = '';
    captureStdout((text) => (saved += text));
    process.env.GITHUB_STATE = '';
    const tracker = new LeftoverTracker(HOSTS);
    tracker.set('10.0.0.1', '/opt/monarch/.monarch/staging-1-abc');
    tracker.set('10.0.0.2', '/opt/monarch/.monarch/staging-1-def');
    tracker.set('10.0.0.1', null);
    expect(saved.trim().split('\n')).toEqual([
      '::save-state name=leftover-0::/opt/monarch/.monarch/staging-1-abc',
      '::save-state name=leftover-1::/opt/monarch/.monarch/staging-1-def',
      '::save-state name=leftover-0::',
    ]);
    expect(() => tracker.set('10.0.0.9', '/x')).toThrow('not a host of this run: 10.0.0.9');
  });

  it.each([
    ['nothing saved', {}, {}],
    [
      'what main left, a removed one empty',
      { 'STATE_leftover-0': '', 'STATE_leftover-1': '/opt/monarch/.monarch/staging-1-def' },
      { '10.0.0.2': '/opt/monarch/.monarch/staging-1-def' },
    ],
    ['nothing for a host beyond the list', { 'STATE_leftover-2': '/x' }, {}],
  ])('reads %s', (_, env, expected) => {
    Object.assign(process.env, env);
    expect(readLeftovers(HOSTS)).toEqual(expected);
    for (const name of Object.keys(env)) delete process.env[name];
  });
});

describe('what the post step agrees to remove', () => {
  const inputs = { hosts: ['10.0.0.1'], appDir: '/opt/monarch' } as unknown as ConnectionInputs;
  it.each([
    ['10.0.0.1', '/opt/monarch/.monarch/staging-42-1-abc123', null],
    [
      '10.0.0.9',
      '/opt/monarch/.monarch/staging-42-1-abc123',
      "10.0.0.9 is not one of the hosts of 'host'",
    ],
    ['10.0.0.1', '/opt/monarch', '/opt/monarch is not a staging folder of /opt/monarch'],
    [
      '10.0.0.1',
      '/opt/monarch/.monarch/staging-1/../../..',
      expect.stringContaining('not a staging folder'),
    ],
    ['10.0.0.1', '/etc/.monarch/staging-1', expect.stringContaining('not a staging folder')],
    [
      '10.0.0.1',
      '/opt/monarch/.monarch/staging-1 /etc',
      expect.stringContaining('not a staging folder'),
    ],
  ])('on %s, %s: %p', (host, dir, expected) => {
    expect(refusal(inputs, host, dir)).toEqual(expected);
  });
});
