import pino from 'pino';

/** Stdout (pino's own fast writer) unless `setLogDestination` redirected it. */
let destination: { write(line: string): unknown } = pino.destination(1);

/** One JSON logger for the whole process; ESB_LOG_LEVEL tunes it. */
export const logger = pino(
  {
    level: process.env.ESB_LOG_LEVEL ?? 'info',
    base: { service: 'temporal-esb' },
    // Secrets must never reach logs even if a caller passes them by mistake.
    redact: { paths: ['*.password', '*.token', '*.authorization', '*.Authorization', 'headers.authorization'], censor: '[redacted]' },
  },
  { write: (line: string) => destination.write(line) },
);

/** Sends every log line to `stream` (tests read the process's logs back); returns the undo. */
export function setLogDestination(stream: { write(line: string): unknown }): () => void {
  const previous = destination;
  destination = stream;
  return () => {
    destination = previous;
  };
}

export type Logger = typeof logger;
