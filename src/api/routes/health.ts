import { Router } from 'express';
import type { TemporalProbe } from '../../temporal/connection';

export interface HealthDeps {
  probe: TemporalProbe;
  namespace: string;
  taskQueue: string;
  /** Bound on the Temporal probe so a dead server answers 503 quickly. */
  probeTimeoutMs?: number;
}

/** `GET /healthz`: 200 when Temporal answers, 503 otherwise (load balancers take the instance out). */
export function healthRouter(deps: HealthDeps): Router {
  const router = Router();
  const startedAt = Date.now();
  router.get('/healthz', async (_req, res) => {
    const base = { namespace: deps.namespace, taskQueue: deps.taskQueue, uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) };
    try {
      await deps.probe.check(deps.probeTimeoutMs ?? 2000);
      res.status(200).json({ status: 'ok', temporal: 'ok', ...base });
    } catch (err) {
      res.status(503).json({ status: 'unavailable', temporal: 'unreachable', error: (err as Error).message, ...base });
    }
  });
  return router;
}
