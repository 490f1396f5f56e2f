/** One progress display per workload on stderr: messages accepted and callbacks received. */
import { MultiBar, Presets, SingleBar } from 'cli-progress';

export class Progress {
  private readonly bars: MultiBar;
  private readonly acceptedBar: SingleBar;
  private readonly callbackBar: SingleBar;

  constructor(label: string, total: number) {
    const tty = Boolean(process.stderr.isTTY);
    this.bars = new MultiBar(
      {
        format: `${label.padEnd(8)} {what} [{bar}] {value}/{total} {percentage}% {duration_formatted}`,
        hideCursor: true,
        clearOnComplete: false,
        stream: process.stderr,
        // Without a terminal (CI logs) print a line now and then instead of redrawing.
        noTTYOutput: !tty,
        notTTYSchedule: 5000,
      },
      Presets.shades_classic,
    );
    this.acceptedBar = this.bars.create(total, 0, { what: 'accepted ' });
    this.callbackBar = this.bars.create(total, 0, { what: 'callbacks' });
  }

  accepted(): void {
    this.acceptedBar.increment();
  }

  callbacks(n: number): void {
    this.callbackBar.update(n);
  }

  stop(): void {
    this.bars.stop();
  }
}
