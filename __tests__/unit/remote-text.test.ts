/**
 * What a host, a container or a server prints never reaches the log as a workflow command, and
 * what a remote command prints is kept within a bound, searched without rescanning.
 */
import { BoundedBuffer, LineWatcher, OUTPUT_LIMIT } from '../../src/remote/channel-output.js';
import {
  escapeControls,
  lastLines,
  oneLine,
  printUntrusted,
  untrustedError,
} from '../../src/remote-text.js';

/** The lines the runner reads from a step's output (.NET ReadLine: \n, \r\n and a lone \r). */
const runnerLines = (text: string) => text.split(/\r\n|\r|\n/);
/** Would the runner run this line as a command? (`::` after leading spaces, `##[` anywhere) */
const isCommand = (line: string) => /^\s*::/.test(line) || line.includes('##[');

const HOSTILE = [
  '::add-mask::leaked',
  '  ::stop-commands::mine',
  '::warning file=app.js,line=1::forged',
  'ok\r::error::after a lone CR',
  'a ##[add-mask]legacy form anywhere',
  'bell \x07 escape \x1b[31m nul \x00 line sep \u2028 next',
].join('\n');

describe('escapeControls and oneLine', () => {
  it('shows every control character escaped, a lone CR included, and defuses ##[', () => {
    expect(escapeControls('a\rb\r\nc\x1bd\u2028e ##[x]')).toBe('a\\rb\nc\\x1bd\\u2028e #\\#[x]');
    expect(oneLine('one\ntwo\rthree\tfour')).toBe('one\\ntwo\\rthree four');
  });

  it('keeps ordinary text, unicode and tabs as they are', () => {
    expect(escapeControls('üñí €\tx 🙂')).toBe('üñí €\tx 🙂');
  });
});

describe('printUntrusted', () => {
  const printed = (text: string) => {
    const lines: string[] = [];
    printUntrusted(text, (line) => lines.push(line));
    return lines.join('\n');
  };

  it('frames command-like lines in stop-commands with a token nobody can guess', () => {
    const out = printed(HOSTILE);
    const lines = runnerLines(out);
    const [start, end] = [lines[0], lines.at(-1)!];
    expect(start).toMatch(/^::stop-commands::monarch-[0-9a-f-]{36}$/);
    expect(end).toBe(`::${start.slice('::stop-commands::'.length)}::`);
    // Between the two, the runner runs nothing: no hostile line escaped the frame by a CR.
    expect(lines.slice(1, -1).filter((line) => line.includes('after a lone CR'))).toHaveLength(1);
    expect(lines.length).toBe(HOSTILE.split('\n').length + 2);
    expect(printed(HOSTILE)).not.toBe(out);
  });

  it('prints plain text as it is', () => {
    expect(printed('pulling web (registry/app:v2)\ndone')).toBe(
      'pulling web (registry/app:v2)\ndone',
    );
  });
});

describe('lastLines and errors', () => {
  it('keeps an error one line per line, whatever CRs it held', () => {
    expect(runnerLines(lastLines(HOSTILE, 10)).filter(isCommand)).toEqual([
      '::add-mask::leaked',
      '  ::stop-commands::mine',
      '::warning file=app.js,line=1::forged',
    ]);
    // (annotations escape newlines, so these lines never start a line of the log: see the e2e test)
    expect(lastLines('x\r::error::y')).toBe('x\\r::error::y');
  });

  it("puts a server's message on one line, keeping its code", () => {
    const error = Object.assign(new Error('bye\n::add-mask::x'), { code: 2 });
    const safe = untrustedError(error) as Error & { code?: number };
    expect([safe.message, safe.code]).toEqual(['bye\\n::add-mask::x', 2]);
  });
});

describe('bounded output', () => {
  it('keeps only the last bytes of a stream, however much comes', () => {
    const buffer = new BoundedBuffer();
    const chunk = Buffer.alloc(65_536, 'x');
    for (let i = 0; i < 1600; i++) buffer.push(chunk); // 100 MiB
    buffer.push(Buffer.from('\nthe end'));
    const text = buffer.text();
    expect(text.length).toBeLessThanOrEqual(OUTPUT_LIMIT);
    expect(text.endsWith('\nthe end')).toBe(true);
    expect(buffer.dropped).toBeGreaterThan(100 * 1024 * 1024 - OUTPUT_LIMIT);
  });

  it.each([[1], [7], [64], [OUTPUT_LIMIT]])(
    'keeps exactly the last %i bytes, whatever the sizes of the chunks',
    (limit) => {
      const buffer = new BoundedBuffer(limit);
      const all: Buffer[] = [];
      let seed = limit;
      const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31);
      for (let i = 0; i < 300; i++) {
        // 1-byte chunks, chunks around the limit, and chunks larger than it.
        const size = [1, 1, 0, limit - 1, limit, limit + 3, 2 * limit][next() % 7];
        const chunk = Buffer.alloc(Math.max(0, size));
        for (let at = 0; at < chunk.length; at++) chunk[at] = 97 + (next() % 26);
        all.push(chunk);
        buffer.push(chunk);
        const whole = Buffer.concat(all);
        expect(buffer.text()).toBe(whole.subarray(Math.max(0, whole.length - limit)).toString());
        expect(buffer.dropped).toBe(Math.max(0, whole.length - limit));
      }
    },
  );

  it('drops a character the cut split, rather than showing half of it', () => {
    const buffer = new BoundedBuffer(5);
    buffer.push(Buffer.from('ab€€'));
    expect(buffer.text()).toBe('€');
  });
});

describe('LineWatcher', () => {
  it('finds the ready line split over chunks, and what came before it', () => {
    const watcher = new LineWatcher('monarch-ready');
    const chunks = ['waited=0\nuser=de', 'ploy\nmonarch-re', 'ady\n'];
    expect(chunks.map((c) => watcher.push(Buffer.from(c)))).toEqual([false, false, true]);
    expect(watcher.text()).toBe('waited=0\nuser=deploy\n');
  });

  it('finds it at the very start, and not inside another line', () => {
    const first = new LineWatcher('monarch-ready');
    expect(first.push(Buffer.from('monarch-ready\n'))).toBe(true);
    const inside = new LineWatcher('monarch-ready');
    expect(inside.push(Buffer.from('x monarch-ready\nholder=monarch-ready\n'))).toBe(false);
  });

  it('keeps at most the bound of what it saw, however much comes before the line', () => {
    const watcher = new LineWatcher('monarch-ready');
    const chunk = Buffer.alloc(65_536, 'y');
    for (let i = 0; i < 200; i++) watcher.push(chunk);
    expect(watcher.text().length).toBeLessThanOrEqual(OUTPUT_LIMIT);
    expect(watcher.push(Buffer.from('\nmonarch-ready\n'))).toBe(true);
  });
});
