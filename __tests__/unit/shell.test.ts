import { execFileSync } from 'node:child_process';
import { quote, sh } from '../../src/shell/command.js';

const hostile = [
  "it's",
  '$(touch /tmp/pwned)',
  '`id`',
  'a; rm -rf /',
  '"double" and \\back\\slash',
  'new\nline',
  '${HOME}',
  '*',
  '',
  ' leading space',
  'üñíçødé',
  "'",
];

describe('quote', () => {
  it.each(hostile)('a real shell reads %j back unchanged, never executing it', (value) => {
    const out = execFileSync('sh', ['-c', `printf '%s' ${quote(value)}`]).toString();
    expect(out).toBe(value);
  });

  it('leaves safe words bare, so logs stay readable', () => {
    expect(quote('/opt/monarch')).toBe('/opt/monarch');
    expect(quote('registry.digitalocean.com')).toBe('registry.digitalocean.com');
  });

  it('refuses a NUL byte, which no shell word can carry', () => {
    expect(() => quote('a\0b')).toThrow(/NUL/);
  });
});

describe('sh', () => {
  it('quotes every interpolated value and inserts nested commands as built', () => {
    const dir = "/tmp/x y'z";
    const inner = sh`echo ${'$HOME'}`;
    const command = sh`cd ${dir} && ${inner} ${['a b', 'c']} ${3}`;
    expect(command.text).toBe(`cd '/tmp/x y'\\''z' && echo '$HOME' 'a b' c 3`);
  });

  it('keeps a hostile value inert even inside a nested sh -c', () => {
    const marker = '/tmp/monarch-never-created-$(id -u)';
    const script = sh`test -e ${marker} || printf '%s' ${marker}`;
    const out = execFileSync('sh', ['-c', `sh -c ${quote(script.text)}`]).toString();
    expect(out).toBe(marker);
  });
});
