import type { Entry } from './merge';
import { buildMethod, durationMs } from './methods';
import type { Env } from './placeholders';
import { isPlainObject, setOwn } from './plain';
import type { DocPath } from './positions';
import type { Reporter, Site } from './problems';
import { buildSecurityOptions } from './producer-security';
import { secretWarning, splitHeaders } from './secrets';
import type { Authentication, MethodDefinition, ProducerDefinition, ProducerOptions, ProducerSecrets } from './types';

/** SmartESB's ConfigurableWebserviceProtocol defaults: 10 s for both timeouts. */
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

export interface ProducerContext {
  reporter: Reporter;
  parameters: Record<string, unknown>;
  env: Env;
}

type Raw = Record<string, unknown>;

/** Builds one producer that passed the structural schema. */
export function buildProducer(entry: Entry, ctx: ProducerContext): ProducerDefinition {
  const raw = entry.value as Raw;
  const rawOptions = (isPlainObject(raw.options) ? raw.options : {}) as Raw;
  const secrets: ProducerSecrets = { headers: {}, requestHeaders: {} };
  const options = buildOptions(entry, rawOptions, secrets, ctx);
  checkName(entry, ctx.reporter);
  const methods: Record<string, MethodDefinition> = {};
  for (const [name, method] of Object.entries(raw.methods as Raw)) {
    const site = { src: entry.src, path: [...entry.path, 'methods', name] };
    if (/[./\s]/.test(name)) {
      ctx.reporter.error(site, [], `method name '${name}' may not contain '.', '/' or spaces (methods are referenced as producer.method)`, 'key');
    }
    const secretHeaders: Record<string, Record<string, string>> = {};
    const checkSecret = (raw: string, path: DocPath): void => warnSecret(site, path, raw, ctx);
    setOwn(methods, name, buildMethod(name, method as Raw, { site, reporter: ctx.reporter, secretHeaders, checkSecret }));
    if (Object.keys(secretHeaders).length > 0) setOwn(secrets.requestHeaders, name, secretHeaders);
  }
  warnSecrets(entry, secrets, ctx);
  const producer: ProducerDefinition = { name: entry.name, options, secrets, methods };
  if (typeof raw.description === 'string') producer.description = raw.description;
  return producer;
}

function buildOptions(entry: Entry, raw: Raw, secrets: ProducerSecrets, ctx: ProducerContext): ProducerOptions {
  const site = { src: entry.src, path: [...entry.path, 'options'] };
  const durationCtx = { site, reporter: ctx.reporter };
  const { plain, secret } = splitHeaders(isPlainObject(raw.headers) ? raw.headers : {});
  secrets.headers = secret;
  const options: ProducerOptions = {
    baseUri: typeof raw.base_uri === 'string' ? raw.base_uri : '',
    encoding: 'json',
    authentication: (raw.authentication ?? 'none') as Authentication,
    headers: plain,
    timeoutMs: raw.timeout === undefined ? DEFAULT_TIMEOUT_MS : durationMs(raw.timeout, ['timeout'], durationCtx) ?? DEFAULT_TIMEOUT_MS,
    connectTimeoutMs:
      raw.connect_timeout === undefined
        ? DEFAULT_CONNECT_TIMEOUT_MS
        : durationMs(raw.connect_timeout, ['connect_timeout'], durationCtx) ?? DEFAULT_CONNECT_TIMEOUT_MS,
  };
  if (raw.encoding !== undefined && raw.encoding !== 'json') {
    ctx.reporter.error(site, ['encoding'], `encoding '${String(raw.encoding)}' is not supported yet: only 'json' is`);
  }
  if (typeof raw.username === 'string') options.username = raw.username;
  if (typeof raw.password === 'string') secrets.password = raw.password;
  if (typeof raw.token === 'string') secrets.token = raw.token;
  buildSecurityOptions(raw, options, secrets, site, ctx.reporter);
  checkAuthentication(options, secrets, site, ctx.reporter);
  return options;
}

function checkAuthentication(options: ProducerOptions, secrets: ProducerSecrets, site: Site, reporter: Reporter): void {
  if (options.authentication === 'basic' && (options.username === undefined || secrets.password === undefined)) {
    reporter.error(site, ['authentication'], "authentication 'basic' needs both username and password in the options");
  }
  if (options.authentication === 'bearer' && secrets.token === undefined) {
    reporter.error(site, ['authentication'], "authentication 'bearer' needs a token in the options");
  }
}

function checkName(entry: Entry, reporter: Reporter): void {
  if (/[/\s]/.test(entry.name)) {
    reporter.error(entry, [], `producer name '${entry.name}' may not contain '/' or spaces (producers are referenced as producer.method)`, 'key');
  }
}

/** Warns about secrets written in clear or not resolvable in this process. */
function warnSecrets(entry: Entry, secrets: ProducerSecrets, ctx: ProducerContext): void {
  if (secrets.password !== undefined) warnSecret(entry, ['options', 'password'], secrets.password, ctx);
  if (secrets.token !== undefined) warnSecret(entry, ['options', 'token'], secrets.token, ctx);
  if (secrets.signingSecret !== undefined) warnSecret(entry, ['options', 'signing', 'secret'], secrets.signingSecret, ctx);
  for (const [name, raw] of Object.entries(secrets.headers)) warnSecret(entry, ['options', 'headers', name, 'secret'], raw, ctx);
}

function warnSecret(site: Site, path: DocPath, raw: string, ctx: ProducerContext): void {
  const warning = secretWarning(raw, ctx.parameters, ctx.env);
  if (warning) ctx.reporter.warn(site, path, warning);
}
