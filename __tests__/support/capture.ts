/** Keeps what the action prints (workflow commands included) from the test output, for assertions. */
import { jest } from '@jest/globals';

/** Hands every chunk written to stdout to `onChunk` instead of printing it; undone by jest.restoreAllMocks(). */
export function captureStdout(onChunk: (text: string) => void): void {
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    onChunk(chunk.toString());
    return true;
  });
}
