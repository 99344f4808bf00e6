# syntax=docker/dockerfile:1
# kcloud-monitor API (and the fleet simulator, for demos: `node dist/apps/fleet-sim/src/main.js`).
# Node 22 LTS (maintained until 2027-04); the code also runs on Node 20.19+, as CI tests it.
ARG NODE_IMAGE=node:22-bookworm-slim

# ---- build: compile with the dev dependencies
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY apps ./apps
COPY libs ./libs
RUN npm run build

# ---- deps: production node_modules only
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# ---- runtime: no npm, npx or corepack (nothing installs or runs package scripts here)
FROM ${NODE_IMAGE} AS runtime
ARG VERSION=0.1.0
ARG REVISION=unknown
ARG CREATED=""
LABEL org.opencontainers.image.title="kcloud-monitor" \
      org.opencontainers.image.description="GraphQL API over Prometheus for AI accelerator fleets" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.vendor="kcloud" \
      org.opencontainers.image.source="https://github.com/kcloud/kcloud-monitor" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.revision="${REVISION}" \
      org.opencontainers.image.created="${CREATED}" \
      org.opencontainers.image.base.name="${NODE_IMAGE}"
RUN rm -rf /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/corepack \
      /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack /opt/yarn-* /usr/local/bin/yarn /usr/local/bin/yarnpkg \
    && groupadd --system --gid 10001 kcloud \
    && useradd --system --uid 10001 --gid 10001 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin kcloud
ENV NODE_ENV=production PORT=3000 KCLOUD_REVISION=${REVISION}
WORKDIR /app
# package.json beside dist: the API reads its version from it (kcloud_build_info, /api/v1/system/version).
COPY --chown=0:0 package.json ./
COPY --from=deps --chown=0:0 /app/node_modules ./node_modules
COPY --from=build --chown=0:0 /app/dist ./dist
# No scenario files: DATA_SOURCE=simulated serves the embedded demo fleet (the same as scenarios/demo.yaml); another
# scenario is a mounted file named by SIM_SCENARIO / --scenario.
USER 10001:10001
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/health/live').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"]
CMD ["node", "dist/apps/api/src/main.js"]
