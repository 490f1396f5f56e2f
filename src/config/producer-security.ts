/**
 * The producer options that bound where requests go and how they are signed:
 * `allowed_hosts`, `follow_redirects`, `signing`. Kept apart from the other
 * options so the rules stay in one place; the signing secret goes to
 * `ProducerSecrets` like every other secret (resolved at send time only).
 */
import { parseHostPattern } from '../security/hosts';
import { isPlainObject } from './plain';
import type { Reporter, Site } from './problems';
import type { ProducerOptions, ProducerSecrets } from './types';

type Raw = Record<string, unknown>;

export function buildSecurityOptions(raw: Raw, options: ProducerOptions, secrets: ProducerSecrets, site: Site, reporter: Reporter): void {
  if (Array.isArray(raw.allowed_hosts)) {
    const hosts: string[] = [];
    raw.allowed_hosts.forEach((entry, i) => {
      if (typeof entry === 'string' && parseHostPattern(entry) !== undefined) hosts.push(entry.trim());
      else reporter.error(site, ['allowed_hosts', i], "is not a host: use 'api.example.com', 'api.example.com:8443', '*.example.com' or an IP address");
    });
    options.allowedHosts = hosts;
  }
  if (typeof raw.follow_redirects === 'boolean') options.followRedirects = raw.follow_redirects;
  if (isPlainObject(raw.signing) && typeof raw.signing.secret === 'string') {
    // The scheme is the only non-secret part, so it is all that workflow snapshots see.
    options.signing = { scheme: 'standard-webhooks' };
    secrets.signingSecret = raw.signing.secret;
  }
}
