# One image for every process built from this repo:
#   app      node build              (SvelteKit server, the default command)
#   ingest   npm run ingest          (NATS JetStream → ClickHouse)
#   migrate  npm run migrate         (one-shot: migrations + registry seed)
#   feed     npm run feed            (demo events)
# ingest/migrate/feed run TypeScript through tsx, a runtime dependency, so the runtime stage
# keeps ingest/ and src/lib/{shared,server}/ as source next to the built app.
ARG NODE_IMAGE=node:20.20-bookworm-slim

# Compilers for native addons that have no prebuilt binary (better-sqlite3 builds with node-gyp
# when its prebuild cannot be fetched). Only the install stages carry them; the runtime stage
# copies the finished node_modules from the same base image, so the ABI and glibc match.
FROM ${NODE_IMAGE} AS toolchain
RUN apt-get update \
	&& apt-get install -y --no-install-recommends python3 make g++ \
	&& rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./

FROM toolchain AS prod-deps
RUN npm ci --omit=dev --no-audit --no-fund

FROM toolchain AS build
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
	HOST=0.0.0.0 \
	PORT=3000 \
	DATA_DIR=/data \
	NPM_CONFIG_UPDATE_NOTIFIER=false \
	NPM_CONFIG_FUND=false
WORKDIR /app
# Application files stay root-owned (read-only to the process); only DATA_DIR is writable.
RUN mkdir -p /data && chown node:node /data
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/build ./build
# tsconfig.json extends it; tsx reads it (and its $lib paths) when running ingest/migrate/feed.
COPY --from=build /app/.svelte-kit/tsconfig.json ./.svelte-kit/tsconfig.json
COPY package.json package-lock.json tsconfig.json ./
COPY ingest ./ingest
COPY src/lib/shared ./src/lib/shared
COPY src/lib/server ./src/lib/server
COPY clickhouse ./clickhouse
COPY static ./static
USER node
EXPOSE 3000
# No curl in the slim image: Node 20's global fetch. 127.0.0.1, not localhost (which may be ::1).
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
	CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "build"]
