/** The upload's host side: the release archive unpacked into this run's staging folder. */
import { mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { layoutOf } from '../../src/host-scripts/layout.js';
import { EXIT } from '../../src/host-scripts/protocol.js';
import { receiveRelease } from '../../src/host-scripts/receive.js';
import { call } from '../../src/host-scripts/script.js';
import { tarArchive, type TarEntry } from '../../src/remote/tar.js';
import { HostSandbox, testShells } from '../support/host-sandbox.js';

const ENTRIES: TarEntry[] = [
  { name: 'config', mode: 0o755 },
  { name: 'docker-compose.yml', mode: 0o644, content: Buffer.from('services: {}\n') },
  { name: 'config/app.conf', mode: 0o644, content: Buffer.from('conf\n') },
  { name: 'run.sh', mode: 0o755, content: Buffer.from('#!/bin/sh\n') },
  { name: '.env', mode: 0o600, content: Buffer.from("SECRET='x'\n") },
  { name: '.monarch-docker-config', mode: 0o700 },
  { name: '.monarch-docker-config/config.json', mode: 0o600, content: Buffer.from('{}\n') },
];

describe.each(testShells())('receiveRelease under $name sh', (shell) => {
  const setUp = () => {
    const host = new HostSandbox(shell);
    const layout = layoutOf(host.appDir, 'run-1');
    // The lock's program made app-dir and its state folder.
    mkdirSync(layout.stateDir, { recursive: true, mode: 0o700 });
    return { host, layout };
  };
  const mode = (file: string) => statSync(file).mode & 0o777;

  it('creates the staging folder, and unpacks every file with its own mode', () => {
    const { host, layout } = setUp();
    const run = host.run(call(receiveRelease(layout, ENTRIES)), tarArchive(ENTRIES));
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const staged = (name: string) => path.join(layout.stagingDir, name);
    for (const entry of ENTRIES) {
      if (entry.content) expect(readFileSync(staged(entry.name))).toEqual(entry.content);
      expect([entry.name, mode(staged(entry.name))]).toEqual([entry.name, entry.mode]);
    }
    expect(mode(layout.stagingDir)).toBe(0o700);
  });

  it('never writes into a staging folder that is already there (a link included)', () => {
    const { host, layout } = setUp();
    const elsewhere = host.path('elsewhere');
    mkdirSync(elsewhere);
    symlinkSync(elsewhere, layout.stagingDir);
    const run = host.run(call(receiveRelease(layout, ENTRIES)), tarArchive(ENTRIES));
    expect(run.code).toBe(EXIT.uploadFailed);
    expect(run.stderr).toMatch(/exists/i);
    expect(() => statSync(path.join(elsewhere, '.env'))).toThrow();
  });

  it('a broken archive fails the upload', () => {
    const { host, layout } = setUp();
    const run = host.run(call(receiveRelease(layout, ENTRIES)), Buffer.from('not a tar'));
    expect(run.code).toBe(EXIT.uploadFailed);
  });
});
