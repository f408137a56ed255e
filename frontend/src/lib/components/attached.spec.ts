import { describe, expect, it } from 'vitest';
import { fileKind, fileToBase64, formatSize } from './attached';

describe('attached files', () => {
  it('sends a file as the base64 Go decodes', async () => {
    // "%PDF-" and a byte above 127, base64 by hand: JVBERi3/
    expect(await fileToBase64(new Blob([new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0xff])]))).toBe('JVBERi3/');
  });

  it('reads a file larger than one slice whole', async () => {
    const big = new Uint8Array(0x8000 * 2 + 3).fill(0x41); // "AAA" is "QUFB"
    const out = await fileToBase64(new Blob([big]));
    expect(out.length).toBe(Math.ceil(big.length / 3) * 4);
    expect(out.startsWith('QUFB')).toBe(true);
    expect(atob(out).length).toBe(big.length);
  });

  it('names sizes and kinds in plain words', () => {
    expect(formatSize(512)).toBe('512 bytes');
    expect(formatSize(1536)).toBe('1.5 KB');
    expect(formatSize(200 * 1024)).toBe('200 KB');
    expect(formatSize(3 * 1024 * 1024)).toBe('3.0 MB');
    expect(fileKind('application/pdf')).toBe('PDF');
    expect(fileKind('image/jpeg')).toBe('JPEG image');
  });
});
