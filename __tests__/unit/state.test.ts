/** What the main step leaves the post step, and what the post step agrees to act on. */
import { jest } from '@jest/globals';
import { captureStdout } from '../support/capture.js';
import { refusal } from '../../src/post.js';
import { LeftoverTracker, readLeftovers } from '../../src/state.js';
import type { ConnectionInputs } from '../../src/types/settings.js';

afterEach(() => {
  jest.restoreAllMocks();
  delete process.env.STATE_leftovers;
});

describe('leftovers', () => {
  it('saves every change at once, as the runner will hand it back', () => {
    let saved = '';
    captureStdout((text) => (saved += text));
    process.env.GITHUB_STATE = '';
    const tracker = new LeftoverTracker();
    tracker.set('10.0.0.1', '/opt/monarch/.monarch/staging-1-abc');
    tracker.set('10.0.0.2', '/opt/monarch/.monarch/staging-1-def');
    tracker.set('10.0.0.1', null);
    const last = saved.trim().split('\n').at(-1)!;
    expect(last).toBe(
      '::save-state name=leftovers::{"10.0.0.2":"/opt/monarch/.monarch/staging-1-def"}',
    );
  });

  it.each([
    ['nothing saved', undefined, {}],
    ['not JSON', '{oops', {}],
    ['not an object', '["x"]', {}],
    ['entries that are not strings dropped', '{"a":"/x","b":3}', { a: '/x' }],
  ])('reads %s', (_, saved, expected) => {
    if (saved !== undefined) process.env.STATE_leftovers = saved;
    expect(readLeftovers()).toEqual(expected);
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
