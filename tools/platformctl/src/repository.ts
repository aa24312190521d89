import { fileURLToPath } from 'node:url';

/** The repository's root (with a trailing slash), where the bench results and the chart live. */
export const REPOSITORY_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
