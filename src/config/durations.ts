/**
 * Durations as operators write them: `500ms`, `1s`, `2m`, `1h`, or a plain
 * number of seconds (SmartESB's `timeout`, `retry_delay` are seconds), also as a
 * string because an `%env(...)%` placeholder always yields a string.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/;

export const DURATION_HINT = "use a number of seconds or a duration such as '500ms', '1s', '2m', '1h'";

/** Milliseconds, or an error sentence. Zero and negative durations are refused. */
export function parseDuration(value: unknown): { ms: number } | { error: string } {
  let ms: number | undefined;
  if (typeof value === 'number' && Number.isFinite(value)) ms = value * 1000;
  if (typeof value === 'string') {
    const match = DURATION.exec(value.trim());
    if (match) ms = Number(match[1]) * UNIT_MS[match[2] ?? 's'];
  }
  if (ms === undefined) return { error: `'${String(value)}' is not a duration (${DURATION_HINT})` };
  if (ms <= 0) return { error: `the duration must be greater than zero (got ${String(value)})` };
  return { ms: Math.round(ms) };
}

/** Renders milliseconds the way they are written in the YAML, for messages. */
export function formatDuration(ms: number): string {
  for (const unit of ['h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
