/**
 * The twin's one clock. It reads the wall clock, so everything the twin
 * stamps (its `Date` header, creation times, job and operation times) is
 * "now" or earlier, as on Azure, and a viewer's clock agrees with it.
 *
 * `speed` compresses how long things take, not what time it is: an AKS start
 * of about 4 minutes lasts `4 min / speed` on the twin. Every duration the
 * twin simulates goes through `duration()`.
 */
export class TwinClock {
  constructor(
    private speed = 1,
    private readonly realNow: () => number = Date.now,
  ) {
    if (!(speed > 0)) throw new RangeError('speed must be > 0');
  }

  now(): number {
    return this.realNow();
  }

  getSpeed(): number {
    return this.speed;
  }

  setSpeed(speed: number): void {
    if (!(speed > 0)) throw new RangeError('speed must be > 0');
    this.speed = speed;
  }

  /** How long something that takes `ms` on Azure takes on the twin. */
  duration(ms: number): number {
    return ms / this.speed;
  }
}
