/**
 * Evaluates every workspace's triggers once a minute in `afin serve`. With several nodes, each minute's
 * slot is claimed first (through the job queue's claim, when there is one), so one node evaluates it;
 * a nudge's id comes from its signal, so even a double evaluation stores it once.
 */
export interface SchedulerPorts {
  workspaces(): Promise<string[]>;
  run(ws: string): Promise<unknown>;
  /** True for the one node that may evaluate this slot; absent: this node always may. */
  claim?(slot: string): Promise<boolean>;
  log?(line: string): void;
}

export const NUDGE_INTERVAL_MS = 60_000;

export class NudgeScheduler {
  private timer: NodeJS.Timeout | null = null;
  private busy: Promise<void> | null = null;
  /** Completed ticks (tests, logs). */
  ticks = 0;

  constructor(
    private readonly ports: SchedulerPorts,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Whether the timer runs (a listening server starts it). */
  get running(): boolean {
    return this.timer !== null;
  }

  start(intervalMs = NUDGE_INTERVAL_MS): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      // A slow evaluation is not overlapped by the next one: that minute is skipped.
      if (!this.busy) this.busy = this.tick(intervalMs).finally(() => (this.busy = null));
    }, intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.busy;
  }

  async tick(intervalMs = NUDGE_INTERVAL_MS): Promise<void> {
    const slot = `nudges.${intervalMs}.${Math.floor(this.clock() / intervalMs)}`;
    try {
      // The claim unreachable (NATS down): this node evaluates anyway; nudge ids keep one record per signal.
      if (this.ports.claim && !(await this.ports.claim(slot).catch(() => true))) return;
      for (const ws of await this.ports.workspaces()) await this.ports.run(ws).catch((e) => this.ports.log?.(`nudges: evaluating ${ws} failed: ${String(e)}`));
    } catch (e) {
      this.ports.log?.(`nudges: scheduled run failed: ${String(e)}`);
    } finally {
      this.ticks++;
    }
  }
}
