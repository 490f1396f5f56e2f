/**
 * `allowed_hosts` entries: `api.example.com`, `api.example.com:8443`,
 * `*.example.com` (any subdomain, not the domain itself), `10.0.0.7`,
 * `[::1]:9000`. Both the entry and the URL are normalised by the WHATWG URL
 * parser, so spellings of one address (`2130706433`, `127.1`, upper case,
 * IDN) compare equal and none slips past the check.
 */

export interface HostPattern {
  /** Lower-case, normalised hostname (IPv6 in brackets), without the `*.`. */
  hostname: string;
  /** `*.` entries match strict subdomains of `hostname`. */
  subdomains: boolean;
  /** Absent: any port. */
  port?: number;
}

/** Undefined when the entry is not a host[:port] (the loader reports it). */
export function parseHostPattern(entry: string): HostPattern | undefined {
  const text = entry.trim();
  const subdomains = text.startsWith('*.');
  const rest = subdomains ? text.slice(2) : text;
  if (rest === '' || /[/?#@\s*]/.test(rest)) return undefined;
  let url: URL;
  try {
    url = new URL(`http://${rest}`);
  } catch {
    return undefined;
  }
  if (url.hostname === '') return undefined;
  // URL drops an explicit :80 for http; the entry said it, so keep it.
  const explicitPort = /:(\d+)$/.exec(rest)?.[1];
  return { hostname: url.hostname, subdomains, ...(explicitPort !== undefined ? { port: Number(explicitPort) } : {}) };
}

function effectivePort(url: URL): number {
  if (url.port !== '') return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

export function hostMatches(url: URL, pattern: HostPattern): boolean {
  if (pattern.port !== undefined && pattern.port !== effectivePort(url)) return false;
  const host = url.hostname;
  return pattern.subdomains ? host.endsWith(`.${pattern.hostname}`) : host === pattern.hostname;
}

/** Entries that do not parse never match (the loader has refused them already). */
export function hostAllowed(url: URL, entries: readonly string[]): boolean {
  return entries.some((entry) => {
    const pattern = parseHostPattern(entry);
    return pattern !== undefined && hostMatches(url, pattern);
  });
}
