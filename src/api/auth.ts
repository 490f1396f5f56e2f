/**
 * Ingress authentication: every route mounted after this router (all of
 * /api/v1 but the OpenAPI document) needs an API key, sent as
 * `Authorization: Bearer <key>` or `X-Api-Key: <key>`. A key restricted to
 * flows may send into and read messages of those flows only.
 *
 * It is mounted as a router in front of the API routes rather than inside
 * them, so a route added later is protected without anyone remembering to.
 */
import { Router, type NextFunction, type Request, type Response } from 'express';
import { logger } from '../shared/logger';
import { loadApiKeys, matchApiKey, type ApiKey } from '../security/api-keys';
import { HttpError } from './http-error';

export interface IngressAuth {
  keys: ApiKey[];
}

export class AuthConfigError extends Error {
  override name = 'AuthConfigError';
}

const CHALLENGE = 'Bearer realm="temporal-esb"';

/** The key the caller presented: Bearer credentials first, then X-Api-Key. */
function presentedKey(req: Request): string | undefined {
  const bearer = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(req.get('authorization') ?? '')?.[1];
  if (bearer !== undefined) return bearer;
  const header = req.get('x-api-key')?.trim();
  return header ? header : undefined;
}

function keyOf(res: Response): ApiKey {
  return res.locals.apiKey as ApiKey;
}

function flowGuard(flowOf: (req: Request) => unknown) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const key = keyOf(res);
    if (key.flows === undefined) return next();
    const flow = flowOf(req);
    if (typeof flow !== 'string' || flow === '') {
      return next(new HttpError(403, `API key '${key.name}' is restricted to flows ${key.flows.join(', ')}: name the flow with ?flow=`));
    }
    if (!key.flows.includes(flow)) return next(new HttpError(403, `API key '${key.name}' may not use flow '${flow.slice(0, 140)}'`));
    next();
  };
}

/** Mount with `app.use(apiKeyAuth(auth))` after the public routes (health, OpenAPI) and before the API. */
export function apiKeyAuth(auth: IngressAuth): Router {
  const router = Router();
  router.use((req, res, next) => {
    const presented = presentedKey(req);
    if (presented === undefined) {
      res.setHeader('WWW-Authenticate', CHALLENGE);
      return next(new HttpError(401, 'missing API key: send Authorization: Bearer <key> or X-Api-Key: <key>'));
    }
    const key = matchApiKey(auth.keys, presented);
    if (key === undefined) {
      res.setHeader('WWW-Authenticate', `${CHALLENGE}, error="invalid_token"`);
      // Never the key, nor a prefix of it: logs are read by more people than keys are given to.
      logger.warn({ method: req.method, path: req.path, ip: req.ip }, 'API request with an invalid API key refused');
      return next(new HttpError(401, 'invalid API key'));
    }
    res.locals.apiKey = key;
    next();
  });
  // The same path patterns as the routes, so Express matches them exactly as it matches the routes.
  router.use('/api/v1/flows/:flow', flowGuard((req) => req.params.flow));
  router.use('/api/v1/messages', flowGuard((req) => req.query.flow));
  return router;
}

/**
 * What the API of a command runs with: keys when configured; none only when
 * ESB_AUTH=off, or in `esb dev` when no key is configured (its default).
 * `warning` is for the command to log. Throws when run/api would start open.
 */
export function ingressAuthFromEnv(env: Record<string, string | undefined>, command: 'dev' | 'run' | 'api'): { auth?: IngressAuth; warning?: string } {
  const setting = env.ESB_AUTH?.trim().toLowerCase() || undefined;
  if (setting !== undefined && setting !== 'on' && setting !== 'off') throw new AuthConfigError(`ESB_AUTH must be 'on' or 'off', not '${setting.slice(0, 40)}'`);
  if (setting === 'off') {
    return { warning: `esb ${command}: ingress authentication is OFF (ESB_AUTH=off): anyone who reaches the API can send and read messages` };
  }
  const keys = loadApiKeys(env);
  if (keys.length > 0) return { auth: { keys } };
  if (command === 'dev' && setting === undefined) {
    return { warning: 'esb dev: ingress authentication is off (development default; configure ESB_API_KEYS or set ESB_AUTH=on to turn it on)' };
  }
  throw new AuthConfigError(
    `esb ${command}: ingress authentication is on but no API key is configured. ` +
      'Create one with `npx esb apikey NAME` and set ESB_API_KEYS (or ESB_API_KEYS_FILE), ' +
      'or set ESB_AUTH=off to run the API without authentication (not for production).',
  );
}
