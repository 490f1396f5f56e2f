import pino from 'pino';

/** One JSON logger for the whole process; ESB_LOG_LEVEL tunes it. */
export const logger = pino({
  level: process.env.ESB_LOG_LEVEL ?? 'info',
  base: { service: 'temporal-esb' },
  // Secrets must never reach logs even if a caller passes them by mistake.
  redact: { paths: ['*.password', '*.token', '*.authorization', '*.Authorization', 'headers.authorization'], censor: '[redacted]' },
});

export type Logger = typeof logger;
