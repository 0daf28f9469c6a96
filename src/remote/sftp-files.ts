/** The SFTP operations of a deploy, each one promise over an open SFTP session. */
import type { SFTPWrapper } from 'ssh2';
import { oneLine } from '../remote-text.js';

/** Below SFTP's usual packet limit (32 KiB): one write request carries the whole file. */
const SMALL_FILE = 30_000;

function sftpError(error: Error, action: 'create' | 'write', remotePath: string): Error {
  return new Error(`could not ${action} ${remotePath} over SFTP: ${oneLine(error.message)}`);
}

/** Creates a directory (its parent must exist) with `mode`. */
export function sftpMkdir(sftp: SFTPWrapper, remotePath: string, mode: number): Promise<void> {
  return new Promise((resolve, reject) =>
    sftp.mkdir(remotePath, { mode }, (error) =>
      error ? reject(sftpError(error, 'create', remotePath)) : resolve(),
    ),
  );
}

/**
 * Creates `remotePath`, which must not exist, with `mode` from the start, and writes `data`.
 * A small file is written with the close sent right behind the write (the server answers in
 * order): open, then write + close, two round trips instead of three.
 */
export function sftpWriteFile(
  sftp: SFTPWrapper,
  remotePath: string,
  data: Buffer,
  mode: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => reject(sftpError(error, 'write', remotePath));
    if (data.length > SMALL_FILE) {
      sftp.writeFile(remotePath, data, { flag: 'wx', mode }, (error) =>
        error ? fail(error) : resolve(),
      );
      return;
    }
    sftp.open(remotePath, 'wx', { mode }, (openError, handle) => {
      if (openError) return fail(openError);
      let writeError: Error | undefined;
      if (data.length > 0) {
        sftp.write(handle, data, 0, data.length, 0, (error) => (writeError = error ?? undefined));
      }
      sftp.close(handle, (closeError) => {
        const error = writeError ?? closeError;
        if (error) fail(error);
        else resolve();
      });
    });
  });
}
