/**
 * A minimal ustar archive writer: how a release travels to the host, as the standard input of
 * the one command that unpacks it (`tar -x`, GNU or busybox), with no SFTP session to open.
 * Only what a release holds: folders and regular files, relative names without `..`.
 */

/** One entry: a folder (no content) or a file. */
export interface TarEntry {
  /** Relative, `/`-separated, no `.` or `..` parts. */
  readonly name: string;
  readonly mode: number;
  /** A file's bytes; absent for a folder. */
  readonly content?: Buffer;
}

const BLOCK = 512;
const NAME_BYTES = 100;
const PREFIX_BYTES = 155;

/** The archive of `entries`, in order (a folder before what it holds), with its end marker. */
export function tarArchive(entries: readonly TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const content = entry.content ?? Buffer.alloc(0);
    parts.push(header(entry, content.length));
    if (content.length) {
      parts.push(content, Buffer.alloc((BLOCK - (content.length % BLOCK)) % BLOCK));
    }
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}

function header(entry: TarEntry, size: number): Buffer {
  const isDir = entry.content === undefined;
  const { name, prefix } = splitName(isDir ? `${entry.name}/` : entry.name);
  const block = Buffer.alloc(BLOCK);
  block.write(name, 0, NAME_BYTES, 'utf8');
  octal(block, 100, 8, entry.mode & 0o7777);
  octal(block, 108, 8, 0); // uid, gid: the extracting user's (tar -o)
  octal(block, 116, 8, 0);
  octal(block, 124, 12, size);
  octal(block, 136, 12, Math.floor(Date.now() / 1000));
  block.write(isDir ? '5' : '0', 156, 1, 'ascii');
  block.write('ustar\u000000', 257, 8, 'ascii');
  block.write(prefix, 345, PREFIX_BYTES, 'utf8');
  // The checksum is computed with its own field as eight spaces.
  block.fill(' ', 148, 156);
  const sum = block.reduce((total, byte) => total + byte, 0);
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii');
  return block;
}

function octal(block: Buffer, offset: number, width: number, value: number): void {
  block.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, offset, width, 'ascii');
}

/** ustar's two name fields: up to 155 bytes of folders, then up to 100 bytes. */
function splitName(full: string): { name: string; prefix: string } {
  if (Buffer.byteLength(full) <= NAME_BYTES) return { name: full, prefix: '' };
  const slashes = [...full.matchAll(/\//g)].map((m) => m.index);
  for (const at of slashes) {
    const prefix = full.slice(0, at);
    const name = full.slice(at + 1);
    if (Buffer.byteLength(prefix) <= PREFIX_BYTES && name && Buffer.byteLength(name) <= NAME_BYTES)
      return { name, prefix };
  }
  throw new Error(`the path ${full} is too long to upload (at most 255 bytes, names of 100)`);
}
