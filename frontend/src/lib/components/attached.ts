// What the attached-files list needs besides the component: reading a
// chosen file for the bridge, and words for a file's kind and size.

/** store.MaxDocumentSize: the backend refuses larger files too. */
export const MAX_ATTACHED_BYTES = 32 << 20;

/** A file's bytes in base64, as the Go side takes them (read in slices, not one huge string). */
export async function fileToBase64(file: Blob): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

const KINDS: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
};

export function fileKind(contentType: string): string {
  return KINDS[contentType] ?? 'File';
}

/** 1 KB = 1024 bytes, one decimal under 10. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB'];
  let n = bytes / 1024;
  let u = 0;
  while (n >= 1024 && u < units.length - 1) {
    n /= 1024;
    u++;
  }
  return `${n < 10 ? n.toFixed(1) : Math.round(n)} ${units[u]}`;
}
