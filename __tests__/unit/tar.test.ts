/** The release archive, unpacked by the real tars a droplet may have (GNU, busybox). */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { tarArchive, type TarEntry } from '../../src/remote/tar.js';
import { BUSYBOX, itWith } from '../support/requires.js';

const deep = `${'a'.repeat(90)}/${'b'.repeat(60)}`;
const ENTRIES: TarEntry[] = [
  { name: 'config', mode: 0o755 },
  { name: 'config/app.conf', mode: 0o644, content: Buffer.from('hello\n') },
  { name: '.env', mode: 0o600, content: Buffer.from('A=1\n'.repeat(300)) },
  { name: 'empty', mode: 0o640, content: Buffer.alloc(0) },
  {
    name: 'binary',
    mode: 0o755,
    content: Buffer.from(Array.from({ length: 1500 }, (_, i) => i % 256)),
  },
  { name: 'ünïcode ☃.txt', mode: 0o644, content: Buffer.from('snow\n') },
  { name: 'a'.repeat(90), mode: 0o755 },
  { name: deep, mode: 0o755 },
  { name: `${deep}/c.txt`, mode: 0o644, content: Buffer.from('deep\n') },
];

function unpack(tar: string[]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'monarch-tar-'));
  const run = spawnSync(tar[0], [...tar.slice(1), '-x', '-o', '-f', '-', '-C', dir], {
    input: tarArchive(ENTRIES),
  });
  expect(run.stderr.toString()).toBe('');
  expect(run.status).toBe(0);
  return dir;
}

function expectUnpacked(dir: string): void {
  try {
    for (const entry of ENTRIES) {
      const file = path.join(dir, entry.name);
      if (entry.content) expect(readFileSync(file)).toEqual(entry.content);
      else expect(statSync(file).isDirectory()).toBe(true);
    }
    expect(readdirSync(dir).sort()).toEqual(
      ['.env', 'a'.repeat(90), 'binary', 'config', 'empty', 'ünïcode ☃.txt'].sort(),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('tarArchive', () => {
  it('is whole blocks, ending with two empty ones', () => {
    const archive = tarArchive(ENTRIES);
    expect(archive.length % 512).toBe(0);
    expect(archive.subarray(-1024).every((byte) => byte === 0)).toBe(true);
  });

  it('unpacks with GNU tar: names, long paths, bytes and empty files as written', () => {
    expectUnpacked(unpack(['tar']));
  });

  itWith(BUSYBOX)('unpacks with busybox tar the same', () => {
    expectUnpacked(unpack(['/bin/busybox', 'tar']));
  });

  it('refuses a path tar cannot hold', () => {
    expect(() =>
      tarArchive([{ name: 'x'.repeat(101), mode: 0o644, content: Buffer.from('') }]),
    ).toThrow('too long to upload');
  });
});
