// Builds JSON Lines output as bytes in reusable buffers: batch inference writes ~10^7 ids and
// scores, and as strings the garbage collector and string flattening were most of its time.

const CHUNK = 1 << 18;
const DIGITS = Buffer.from('0123456789');
const POW10 = Array.from({ length: 81 }, (_, n) => Math.pow(10, n - 40));

/** Out-parameters of sixDigits: no allocation per score on the batch-output hot path. */
const SIX = new Float64Array(2);

/**
 * x (positive, 1e-34..1e34) rounded to 6 significant digits as SIX[0] x 10^SIX[1], with SIX[0]
 * stripped of trailing zeros.
 */
function sixDigits(x: number): void {
  let e = Math.floor(Math.log10(x));
  let m = Math.round(x * POW10[45 - e]!);
  if (m >= 1_000_000) {
    m = Math.round(m / 10);
    e += 1;
  }
  let exp = e - 5;
  while (m % 10 === 0) {
    m /= 10;
    exp += 1;
  }
  SIX[0] = m;
  SIX[1] = exp;
}

export class LineBuffer {
  private buf = Buffer.allocUnsafe(CHUNK * 2);
  private pos = 0;

  /** Bytes written since the last take(). */
  get length(): number {
    return this.pos;
  }

  private ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  bytes(b: Buffer): void {
    this.ensure(b.length);
    b.copy(this.buf, this.pos);
    this.pos += b.length;
  }

  text(s: string): void {
    this.ensure(Buffer.byteLength(s));
    this.pos += this.buf.write(s, this.pos, 'utf8');
  }

  byte(c: number): void {
    this.ensure(1);
    this.buf[this.pos++] = c;
  }

  /** A score with 6 significant digits in plain decimal notation (same text as formatScore). */
  score(x: number): void {
    if (x === 0 || x < 0 || !(Math.abs(x) >= 1e-34 && Math.abs(x) < 1e34)) {
      this.text(formatScore(x));
      return;
    }
    sixDigits(x);
    const m = SIX[0]!;
    const exp = SIX[1]!;
    let nd = 1;
    for (let t = 10; t <= m; t *= 10) nd += 1;
    this.ensure(nd + 80);
    const point = nd + exp; // digits before the decimal point
    if (exp >= 0) {
      this.writeDigits(m, nd);
      for (let z = 0; z < exp; z++) this.buf[this.pos++] = 48;
    } else if (point > 0) {
      const start = this.pos;
      this.writeDigits(m, nd);
      // shift the fraction right by one to make room for the point
      this.buf.copyWithin(start + point + 1, start + point, start + nd);
      this.buf[start + point] = 46;
      this.pos += 1;
    } else {
      this.buf[this.pos++] = 48;
      this.buf[this.pos++] = 46;
      for (let z = 0; z < -point; z++) this.buf[this.pos++] = 48;
      this.writeDigits(m, nd);
    }
  }

  private writeDigits(m: number, nd: number): void {
    for (let k = nd - 1; k >= 0; k--) {
      this.buf[this.pos + k] = DIGITS[m % 10]!;
      m = Math.floor(m / 10);
    }
    this.pos += nd;
  }

  /** Hands over the bytes written so far (a copy, never from the shared pool) and starts again. */
  take(): Buffer {
    const out = Buffer.allocUnsafeSlow(this.pos);
    this.buf.copy(out, 0, 0, this.pos);
    this.pos = 0;
    return out;
  }

  full(): boolean {
    return this.pos >= CHUNK;
  }
}

/**
 * Scores keep 6 significant digits, written in plain decimal notation: enough to rank, and the
 * same bytes on every rerun.
 */
export function formatScore(x: number): string {
  if (x === 0) return '0';
  if (!Number.isFinite(x)) throw new RangeError(`score ${x} is not finite`);
  if (x < 0) return `-${formatScore(-x)}`;
  const e = Math.floor(Math.log10(x));
  if (e < -34 || e > 34) return String(Number(x.toPrecision(6)));
  sixDigits(x);
  const exp = SIX[1]!;
  const digits = String(SIX[0]!);
  if (exp >= 0) return digits + '0'.repeat(exp);
  const point = digits.length + exp;
  return point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
}
