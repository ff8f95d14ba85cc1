# The service as an image, used by docker-compose.yml and docker-compose.cluster.yml.
#   docker build -t crisis-chronology .
# Each container runs the build inside its own image: nothing is built into a shared checkout.
ARG NODE_VERSION=24

# Build: install from the lockfile (the full Debian image has the C++ toolchain in case better-sqlite3
# has no prebuilt binary for this platform), compile, then drop the development dependencies.
FROM node:${NODE_VERSION}-bookworm AS build
ENV SCARF_ANALYTICS=false npm_config_fund=false npm_config_audit=false
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
RUN npm run build && npm prune --omit=dev

# Run: the compiled service, its production dependencies and the sample chronology, as user "node".
FROM node:${NODE_VERSION}-bookworm-slim
ENV DATA_DIR=/data PORT=3000
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY sample ./sample
# A named volume mounted on /data takes this directory's owner, so the service can write there.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME /data
EXPOSE 3000
# Healthy once /health/ready answers 200: the store is up, the read models follow the log and the
# audit checks hold. The slim image has no curl; Node's fetch does the request.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/ready').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "dist/main.js"]
