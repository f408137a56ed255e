/**
 * Splits a recovery key into groups for reading aloud and typing: keys that
 * already carry separators keep them, others are cut into groups of four.
 */
export function groupKey(key: string): string[] {
  const k = key.trim();
  if (k === '') return [];
  if (/[\s-]/.test(k)) return k.split(/[\s-]+/).filter(Boolean);
  const out: string[] = [];
  for (let i = 0; i < k.length; i += 4) out.push(k.slice(i, i + 4));
  return out;
}
