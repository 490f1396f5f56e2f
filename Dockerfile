# temporal-esb: worker + REST API image. The Temporal server runs elsewhere
# (docker-compose's `temporal` service, or Temporal Cloud), so the embedded
# dev server is not installed here.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
# --ignore-scripts: the postinstall fetches the Temporal CLI, which the image does not need.
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund
COPY bin ./bin
COPY src ./src
COPY schema ./schema
COPY tsconfig.json ./
# Flows are mounted at /app/flows by docker-compose; a baked-in copy is the default.
COPY flows ./flows
EXPOSE 3000
# `esb run` = worker + API in one process against TEMPORAL_ADDRESS; use
# `esb worker` / `esb api` to scale the halves separately.
CMD ["node", "bin/esb.js", "run"]
