import { Router } from 'express';
import { openApiDocument } from '../openapi';

export function openApiRouter(): Router {
  const router = Router();
  router.get('/api/v1/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  return router;
}
