import { readDockerfile, stageEnv } from '../tools/dockerfile.js';

/**
 * The environment the images give every service (the Dockerfile's `runtime` stage `ENV`, such as
 * `NODE_OPTIONS` and `MALLOC_ARENA_MAX`), read once from the Dockerfile itself, so the bench runs
 * the services as the images do and the two cannot drift apart. The bench's own settings (port,
 * host) are spread after it.
 */
export const IMAGE_RUNTIME_ENV: Readonly<Record<string, string>> = stageEnv(readDockerfile(), 'runtime');
