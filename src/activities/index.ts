/**
 * The worker's activities. They are closures over their dependencies so the
 * worker hands them the config it loaded (and tests their own), never globals.
 * Workflows import only the *type* `EsbActivities` from here.
 */
import type { EsbConfig } from '../config/types';
import type { HttpRequestInput, HttpRequestResult } from '../shared/delivery-types';
import { logger as processLogger } from '../shared/logger';
import { createHttpClient, DEFAULT_MAX_RESPONSE_BYTES, type HttpClient } from './http-client';
import { createHttpRequest, type ActivityLogger } from './http-request';

export interface ActivityDeps {
  /** Called at each request, so a reloaded config (and its secrets) applies to the next attempt. */
  getConfig: () => EsbConfig;
  /** Where `%env(...)%` secrets are read; defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Response body cap; default 1 MiB. */
  maxResponseBytes?: number;
  logger?: ActivityLogger;
  /** The pooled transport; pass one to control its lifetime (`close()`), else one is created. */
  httpClient?: HttpClient;
}

export interface EsbActivities {
  httpRequest(input: HttpRequestInput): Promise<HttpRequestResult>;
}

export function createActivities(deps: ActivityDeps): EsbActivities {
  return {
    httpRequest: createHttpRequest({
      getConfig: deps.getConfig,
      env: deps.env ?? process.env,
      maxResponseBytes: deps.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
      logger: deps.logger ?? processLogger.child({ component: 'http-activity' }),
      http: deps.httpClient ?? createHttpClient(),
    }),
  };
}

export { createHttpClient, DEFAULT_MAX_RESPONSE_BYTES, type HttpClient } from './http-client';
export type { ActivityLogger } from './http-request';
