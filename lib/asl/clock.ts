// Time and randomness, injected so executions are fast (virtual time) and repeatable (seeds).

/** Source of time for an execution. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /**
   * Lets `ms` pass. A virtual clock returns synchronously (no real time passes), a real clock
   * returns a promise.
   */
  sleep(ms: number): void | Promise<void>;
  /**
   * Calls `fn` after `ms`; returns a function that cancels the timer. A timer that bounds real
   * work (`work`: a Task's call running in this process) also fires on a virtual clock once that
   * much real time has passed, as the work takes real time whatever the clock says.
   */
  setTimer(ms: number, fn: () => void, work?: boolean): () => void;
}

interface Timer {
  at: number;
  fn: () => void;
}

/** Where a VirtualClock starts by default: 2026-01-01T00:00:00Z. */
const VIRTUAL_EPOCH = Date.UTC(2026, 0, 1);
// Shared by clocks without timers (most executions): setTimer replaces it, never pushes to it.
const NO_TIMERS: readonly Timer[] = [];

/**
 * Virtual time: Wait states and retry back-off advance it instantly, so a 24-hour Wait costs
 * microseconds. Timers (callback timeouts and heartbeats) fire when a test calls `advance`.
 * @example
 * const clock = new VirtualClock(Date.parse('2026-01-01T00:00:00Z'));
 * const run = startExecution(machine, input, { clock });
 * clock.advance(3600_000); // fires a one-hour callback timeout
 */
export class VirtualClock implements Clock {
  private time: number;
  private timers: readonly Timer[] = NO_TIMERS;

  /**
   * @param start the time it starts at, in milliseconds since the epoch
   * @param idleMs real milliseconds an execution whose threads all wait on callbacks is left
   *   unanswered before time moves to its next deadline (a heartbeat, a timeout, its own limit)
   */
  constructor(
    start: number = VIRTUAL_EPOCH,
    private readonly idleMs = 50,
  ) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  sleep(ms: number): void {
    this.advance(ms);
  }

  setTimer(ms: number, fn: () => void, work = false): () => void {
    let fired = false;
    const once = () => {
      if (fired) return;
      fired = true;
      cancel();
    };
    const fire = () => {
      once();
      fn();
    };
    const timer = { at: this.time + Math.max(0, ms), fn: fire };
    this.timers = [...this.timers, timer];
    const real = work ? realTimer(ms, fire) : undefined;
    const cancel = () => {
      this.timers = this.timers.filter((t) => t !== timer);
      real?.();
    };
    return cancel;
  }

  /**
   * Calls `fn` once the process has had time to answer a waiting execution (real milliseconds,
   * see the constructor): how the scheduler learns that nothing else will progress.
   */
  whenIdle(fn: () => void): void {
    setTimeout(fn, this.idleMs);
  }

  /** Moves time to the next timer and fires it (and any due with it); false when there is none. */
  advanceToNextTimer(): boolean {
    let at = Infinity;
    for (const t of this.timers) at = Math.min(at, t.at);
    if (at === Infinity) return false;
    this.advance(at - this.time);
    return true;
  }

  /** Moves time forward, firing due timers in time order. */
  advance(ms: number): void {
    const target = this.time + Math.max(0, ms);
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.fn();
    }
    this.time = target;
  }
}

const MAX_TIMER_MS = 2 ** 31 - 1;

/** A Node timer of any length: Node's hold 32 bits of milliseconds (24.8 days), so longer ones are chained. */
function realTimer(ms: number, fn: () => void): () => void {
  let handle: NodeJS.Timeout;
  const arm = (left: number) => {
    handle = setTimeout(left > MAX_TIMER_MS ? () => arm(left - MAX_TIMER_MS) : fn, Math.min(Math.max(0, left), MAX_TIMER_MS));
  };
  arm(ms);
  return () => clearTimeout(handle);
}

/** Wall-clock time, for the local server and for users who want Wait states to really wait. */
export class RealClock implements Clock {
  now(): number {
    return Date.now();
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.setTimer(ms, resolve));
  }

  setTimer(ms: number, fn: () => void): () => void {
    return realTimer(ms, fn);
  }
}

/**
 * A small seeded pseudo-random generator (sfc32), so UUIDs, jitter and `States.MathRandom` are
 * repeatable when a seed is given.
 */
export class SeededRandom {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number = Date.now() ^ (Math.random() * 0x100000000)) {
    this.a = 0x9e3779b9;
    this.b = 0x243f6a88;
    this.c = 0xb7e15162;
    this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform number in [0, 1). */
  next(): number {
    let { a, b, c, d } = this;
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
    return (t >>> 0) / 4294967296;
  }

  /** Uniform number in [0, 1) (the same as `next`, under the name intrinsic functions use). */
  random(): number {
    return this.next();
  }

  /** A version-4 UUID drawn from this generator. */
  uuid(): string {
    // Char codes joined once give a flat string (appending would build a 20-piece rope).
    const codes = UUID_CODES;
    let at = 0;
    for (let i = 0; i < 16; i++) {
      let byte = Math.floor(this.next() * 256);
      if (i === 6) byte = (byte & 0x0f) | 0x40;
      if (i === 8) byte = (byte & 0x3f) | 0x80;
      codes[at++] = HEX.charCodeAt(byte >> 4);
      codes[at++] = HEX.charCodeAt(byte & 15);
      if (i === 3 || i === 5 || i === 7 || i === 9) codes[at++] = 45; // '-'
    }
    return String.fromCharCode.apply(null, codes);
  }
}

const HEX = '0123456789abcdef';
const UUID_CODES: number[] = new Array<number>(36).fill(0);
