/** Small number theory for periodic schedules. Moduli are positive safe integers. */

/** `k ≡ r (mod m)` with 0 <= r < m. */
export interface Congruence {
  readonly r: number;
  readonly m: number;
}

export function gcd(a: number, b: number): number {
  a = Math.abs(a);
  b = Math.abs(b);
  while (b !== 0) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

export function mod(a: number, m: number): number {
  const r = a % m;
  return r < 0 ? r + m : r;
}

/** a * b mod m without losing precision. */
export function mulMod(a: number, b: number, m: number): number {
  const p = a * b;
  if (Number.isSafeInteger(p)) return p % m;
  return Number((BigInt(a) * BigInt(b)) % BigInt(m));
}

/** Inverse of a modulo m; a and m must be coprime. */
export function modInverse(a: number, m: number): number {
  if (m === 1) return 0;
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1, 0];
  while (r !== 0) {
    const q = Math.floor(oldR / r);
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return mod(oldS, m);
}

/** Whether two congruences have a common solution (CRT: iff r1 ≡ r2 mod gcd(m1, m2)). */
export function compatible(a: Congruence, b: Congruence): boolean {
  return mod(a.r - b.r, gcd(a.m, b.m)) === 0;
}

/** Least common multiple of positive integers, exact. */
export function bigLcm(values: Iterable<number>): bigint {
  let acc = 1n;
  for (const v of values) {
    const b = BigInt(v);
    acc = (acc / bigGcd(acc, b)) * b;
  }
  return acc;
}

function bigGcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

function bigMod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function bigInverse(a: bigint, m: bigint): bigint {
  if (m === 1n) return 0n;
  let [oldR, r] = [bigMod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return bigMod(oldS, m);
}

/** The least k >= 0 satisfying every congruence, or undefined when there is none. */
export function crt(list: readonly Congruence[]): bigint | undefined {
  let r = 0n;
  let m = 1n;
  for (const c of list) {
    const r2 = BigInt(c.r);
    const m2 = BigInt(c.m);
    const g = bigGcd(m, m2);
    const diff = r2 - r;
    if (diff % g !== 0n) return undefined;
    const step = bigMod((diff / g) * bigInverse(m / g, m2 / g), m2 / g);
    r = r + m * step;
    m = (m / g) * m2;
    r = bigMod(r, m);
  }
  return r;
}
