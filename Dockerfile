# syntax=docker/dockerfile:1.7
# One image per service from one build: `docker build --target auth .` (or merchants, email, console), and
# every service in one process on embedded SQLite: `docker build --target all-in-one .`.
# The build steps are npm scripts (`npm run build`, `npm run build:prod-tree`), so the tests run
# exactly these steps without Docker and start the services from build/prod/<service>.

# Current Node LTS, pinned; bump it deliberately (and the digest, if you pin one).
ARG NODE_IMAGE=node:24.11.1-bookworm-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /app
# sqlite3 (the embedded all-in-one database) compiles from source when no prebuilt binary fits.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
# Manifests first: the dependency layer is rebuilt only when they change.
COPY package.json package-lock.json ./
COPY services/common/package.json services/common/
COPY services/auth/package.json services/auth/
COPY services/merchants/package.json services/merchants/
COPY services/email/package.json services/email/
COPY services/console/package.json services/console/
COPY services/all-in-one/package.json services/all-in-one/
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.base.json ./
COPY tools/prod-tree.ts tools/bundle.ts tools/ascii-source.ts tools/
COPY services/ services/
RUN npm run build

# One production tree per service: its dist (main.js bundled), services/common's dist, only their runtime modules.
FROM build AS tree-auth
RUN npm run build:prod-tree -- auth
FROM build AS tree-merchants
RUN npm run build:prod-tree -- merchants
FROM build AS tree-email
RUN npm run build:prod-tree -- email
FROM build AS tree-console
RUN npm run build:prod-tree -- console
FROM build AS tree-all-in-one
RUN npm run build:prod-tree -- all-in-one

FROM ${NODE_IMAGE} AS runtime
# --max-semi-space-size=8: Node sizes V8's heap from the container's memory limit, and under the
# chart's limits (320-384Mi) V8 picks a 1 MiB semi-space, where every request's garbage outlives
# a scavenge: /users/me then costs twice the CPU. 8 MiB gives back that CPU and keeps RSS lower
# than V8's 16 MiB for large machines (bench/README.md, "Memory").
# MALLOC_ARENA_MAX: glibc gives each thread that allocates (libuv's pool: bcrypt, sqlite3, zlib)
# an arena of its own, and memory freed in one is not reused by another; two arenas cut the
# resident memory under load (npm run bench reads this ENV and starts the services with it).
ENV NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    NODE_OPTIONS="--enable-source-maps --max-semi-space-size=8" \
    MALLOC_ARENA_MAX=2
WORKDIR /app
# Nothing under /app is writable by the service user; it writes only to /tmp (an emptyDir in the
# chart), so the container runs with a read-only root filesystem.
EXPOSE 8080

FROM runtime AS auth
COPY --from=tree-auth --chown=root:root /app/build/prod/auth/ /app/
USER 10001:10001
CMD ["node", "services/auth/dist/main.js"]

FROM runtime AS merchants
COPY --from=tree-merchants --chown=root:root /app/build/prod/merchants/ /app/
USER 10001:10001
CMD ["node", "services/merchants/dist/main.js"]

FROM runtime AS email
COPY --from=tree-email --chown=root:root /app/build/prod/email/ /app/
USER 10001:10001
CMD ["node", "services/email/dist/main.js"]

FROM runtime AS console
COPY --from=tree-console --chown=root:root /app/build/prod/console/ /app/
USER 10001:10001
CMD ["node", "services/console/dist/main.js"]

# Every service behind one port on embedded SQLite, for one container without Kubernetes or MySQL.
# The database and anything it generates live in DATA_DIR, a volume owned by the service user, so
# the root filesystem can be read-only:
#   docker run --read-only --tmpfs /tmp -v mp-data:/data -p 8080:8080 --env-file .env merchant-platform/all-in-one
FROM runtime AS all-in-one
COPY --from=tree-all-in-one --chown=root:root /app/build/prod/all-in-one/ /app/
ENV DATA_DIR=/data
RUN mkdir /data && chown 10001:10001 /data
VOLUME ["/data"]
USER 10001:10001
CMD ["node", "services/all-in-one/dist/main.js"]

# skaffold's dev profile: TypeScript sources run by tsx and restarted on change, so a synced file
# takes effect without an image rebuild. Never deployed outside a dev cluster.
# The chart runs it with `dev.watch=true` (command below, writable root filesystem for the sync).
FROM build AS dev
ARG SERVICE=auth
ENV NODE_ENV=production \
    SERVICE=${SERVICE}
RUN chown -R 10001:10001 /app/services
USER 10001:10001
CMD ["sh", "-c", "exec node --watch --conditions=source --import=tsx services/${SERVICE}/src/main.ts"]
