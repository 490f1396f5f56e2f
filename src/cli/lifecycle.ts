import { logger } from '../shared/logger';

type Stopper = { name: string; stop: () => Promise<void> };

/**
 * Collects what a command started and stops it in reverse order on SIGINT or
 * SIGTERM, so Ctrl-C leaves no orphan process (the dev server is a child).
 * A second signal forces the exit.
 */
export class Lifecycle {
  private readonly stoppers: Stopper[] = [];
  private stopping: Promise<void> | undefined;

  add(name: string, stop: () => Promise<void>): void {
    this.stoppers.push({ name, stop });
  }

  async stopAll(): Promise<void> {
    this.stopping ??= (async () => {
      for (const { name, stop } of [...this.stoppers].reverse()) {
        try {
          await stop();
        } catch (err) {
          logger.warn({ err: (err as Error).message }, `error while stopping ${name}`);
        }
      }
    })();
    return this.stopping;
  }

  exitOnSignals(): void {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals): void => {
      signals += 1;
      if (signals > 1) {
        logger.warn(`${signal} again: exiting now`);
        process.exit(130);
      }
      logger.info(`${signal} received: shutting down`);
      this.stopAll().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
}
