/**
 * The twin's clock: twin time runs `speed` times faster than real time, and can
 * be moved forward by hand. Durations in the twin (AKS start ≈ 4 min, stop up
 * to 10 min) are in twin time, so a fast clock makes them short in real time.
 */
export class TwinClock {
  private realBase: number;
  private twinBase: number;

  constructor(
    private speed = 1,
    private readonly realNow: () => number = Date.now,
  ) {
    this.realBase = realNow();
    this.twinBase = this.realBase;
  }

  now(): number {
    return this.twinBase + (this.realNow() - this.realBase) * this.speed;
  }

  getSpeed(): number {
    return this.speed;
  }

  setSpeed(speed: number): void {
    if (!(speed > 0)) throw new RangeError('speed must be > 0');
    this.twinBase = this.now();
    this.realBase = this.realNow();
    this.speed = speed;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError('advance takes a non-negative duration');
    this.twinBase += ms;
  }

  /** Twin milliseconds → real milliseconds at the current speed. */
  toReal(twinMs: number): number {
    return twinMs / this.speed;
  }
}
