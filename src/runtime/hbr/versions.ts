/**
 * Compares dotted version strings numerically (2.10.0 > 2.9.5); a non-numeric part compares as text.
 * Returns <0, 0 or >0.
 */
export function compareVersions(a: string, b: string): number {
  const pa = a.trim().split(/[.-]/);
  const pb = b.trim().split(/[.-]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    if (/^\d+$/.test(x) && /^\d+$/.test(y)) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
    } else if (x !== y) {
      return x < y ? -1 : 1;
    }
  }
  return 0;
}
