// scripts/bench/remote-output.mjs - the remote-output phase of bench.mjs: what reading a host's
// output costs the runner, in MiB of remote output per CPU second. No lab needed.
//
// Feeds a synthetic stream (log lines, never the ready line) through the real code that reads a
// channel, src/remote/channel-output.ts, transpiled as it is (BENCH_OUTPUT_SRC names another
// copy, e.g. an older one from `git show REV:src/remote/channel-output.ts`):
//   exec  what `collect` does with each chunk of stdout: BoundedBuffer.push;
//   hold  what a lock holder's stdout costs before its ready line: LineWatcher.push, and the
//         BoundedBuffer.push of `collect` beside it.
// Each in 1-byte chunks (a host that writes byte by byte) and 64 KiB chunks, after a warm-up that
// fills the 64 KiB bound (the steady state of a chatty host), for at least MIN_CPU_MS of CPU.
/* global Buffer, console, process */ // Node globals, for ESLint
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import ts from 'typescript';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SOURCE = path.resolve(
  process.env.BENCH_OUTPUT_SRC ?? path.join(REPO, 'src/remote/channel-output.ts'),
);
const MIN_CPU_MS = 1_500;
const CHUNK_SIZES = [1, 64 * 1024];
const LINE = Buffer.from('2026-12-07T12:00:00.000Z web-1  | GET /health HTTP/1.1 200 0.3 ms\n');
const MIB = 1024 * 1024;
/** Three significant digits, however small or large. */
const figure = (value) => (value >= 100 ? value.toFixed(0) : value.toPrecision(3));

/** The module at `SOURCE`, transpiled to JavaScript (types dropped, nothing else changed). */
async function loadChannelOutput() {
  const { outputText } = ts.transpileModule(readFileSync(SOURCE, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'monarch-bench-output-'));
  try {
    const file = path.join(dir, 'channel-output.mjs');
    writeFileSync(file, outputText);
    return await import(pathToFileURL(file).href);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Chunks of `size` bytes cut from an endless repetition of LINE, to cycle through. */
function chunksOf(size) {
  const count = size === 1 ? LINE.length : 1;
  const text = Buffer.alloc(size * count);
  for (let at = 0; at < text.length; at += LINE.length) LINE.copy(text, at);
  return Array.from({ length: count }, (_, i) => text.subarray(i * size, (i + 1) * size));
}

const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

/** Feeds `push` chunks of `size` bytes: the bound filled first, then measured. */
function measure(push, size, limit) {
  const chunks = chunksOf(size);
  let next = 0;
  const feed = (bytes) => {
    for (let fed = 0; fed < bytes; fed += size) push(chunks[next++ % chunks.length]);
  };
  feed(limit + 4096);
  const started = cpuMs();
  let bytes = 0;
  const batch = Math.max(size, 4096);
  while (cpuMs() - started < MIN_CPU_MS) {
    feed(batch);
    bytes += Math.ceil(batch / size) * size;
  }
  const spentMs = cpuMs() - started;
  return {
    chunkBytes: size,
    bytes,
    cpuMs: spentMs,
    mibPerCpuSecond: bytes / MIB / (spentMs / 1000),
    microsPerChunk: (spentMs * 1000) / (bytes / size),
  };
}

/** The phase: returns what it measured, and prints it. */
export async function remoteOutput() {
  const { BoundedBuffer, LineWatcher, OUTPUT_LIMIT } = await loadChannelOutput();
  const paths = {
    exec: () => {
      const out = new BoundedBuffer();
      return (chunk) => out.push(chunk);
    },
    hold: () => {
      const watcher = new LineWatcher('monarch-ready');
      const out = new BoundedBuffer();
      return (chunk) => {
        watcher.push(chunk);
        out.push(chunk);
      };
    },
  };
  const rows = [];
  for (const [name, make] of Object.entries(paths))
    for (const size of CHUNK_SIZES)
      rows.push({ path: name, ...measure(make(), size, OUTPUT_LIMIT) });
  console.log(`remote output, read by ${path.relative(REPO, SOURCE) || SOURCE}:`);
  for (const row of rows) {
    console.log(
      `  ${row.path} ${String(row.chunkBytes).padStart(5)}-byte chunks: ` +
        `${figure(row.mibPerCpuSecond)} MiB of remote output per CPU second ` +
        `(${figure(row.microsPerChunk)} µs per chunk)`,
    );
  }
  return { source: path.relative(REPO, SOURCE) || SOURCE, minCpuMs: MIN_CPU_MS, rows };
}
