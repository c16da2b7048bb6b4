/**
 * Why the host is running: the background connects only with a reason (a
 * portal tab open, the popup open, an operation under way: "check again",
 * a signature check, a report) and lets the host go when the last reason
 * has been gone for `idleMs` (60 s). Counted, so overlapping holders of the
 * same kind each let go once. Timers are passed in (tests drive them).
 */
export interface DemandDeps {
  idleMs: number;
  /** Nothing has needed the host for idleMs: close it. */
  release(): void;
  setTimer(f: () => void, ms: number): unknown;
  clearTimer(t: unknown): void;
}

export class HostDemand {
  private readonly held = new Map<string, number>();
  private timer: unknown = null;

  constructor(private readonly d: DemandDeps) {}

  get needed(): boolean {
    return this.held.size > 0;
  }

  /** The reasons held now (for tests and the report). */
  reasons(): string[] {
    return [...this.held.keys()].sort();
  }

  hold(reason: string): void {
    this.held.set(reason, (this.held.get(reason) ?? 0) + 1);
    if (this.timer !== null) this.d.clearTimer(this.timer);
    this.timer = null;
  }

  drop(reason: string): void {
    const n = this.held.get(reason);
    if (n === undefined) return;
    if (n > 1) this.held.set(reason, n - 1);
    else this.held.delete(reason);
    if (this.held.size === 0 && this.timer === null)
      this.timer = this.d.setTimer(() => {
        this.timer = null;
        if (this.held.size === 0) this.d.release();
      }, this.d.idleMs);
  }

  /** A reason that is either there or not (portal tabs open): held once at most. */
  set(reason: string, on: boolean): void {
    if (on && !this.held.has(reason)) this.hold(reason);
    else if (!on && this.held.has(reason)) {
      this.held.set(reason, 1);
      this.drop(reason);
    }
  }

  /** Hold a reason while an operation runs. */
  async during<T>(reason: string, f: () => Promise<T>): Promise<T> {
    this.hold(reason);
    try {
      return await f();
    } finally {
      this.drop(reason);
    }
  }
}
