import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './k8s-tools.js';

export interface Instruction {
  keyword: string;
  args: string;
}
export interface Stage {
  name: string;
  base: string;
  instructions: Instruction[];
}
export interface Dockerfile {
  /** The `ARG`s before the first `FROM`, with their defaults. */
  args: Record<string, string>;
  stages: Stage[];
}

/** A small Dockerfile reader: joins continuation lines, drops comments, splits stages. */
export function parseDockerfile(text: string): Dockerfile {
  const lines = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const args: Record<string, string> = {};
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, keyword = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const [, base = '', name = ''] = /^(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?$/i.exec(rest) ?? [];
      stages.push({ name, base, instructions: [] });
    } else if (stages.length === 0 && upper === 'ARG') {
      const [name = '', value = ''] = rest.split('=');
      args[name] = value;
    } else {
      stages.at(-1)?.instructions.push({ keyword: upper, args: rest });
    }
  }
  return { args, stages };
}

/** The repository's own Dockerfile. */
export const readDockerfile = (): Dockerfile => parseDockerfile(readFileSync(join(repoRoot, 'Dockerfile'), 'utf8'));

/** One `KEY=value` of an `ENV` line: a bare value, or a double-quoted one without escapes. */
const ENV_PAIR = /\s*([A-Za-z_][A-Za-z0-9_]*)=(?:"([^"\\]*)"|([^"'\s\\]*))(?=\s|$)/y;

/**
 * The variables a stage's `ENV` instructions set (`KEY=value` pairs, the value bare or in double
 * quotes; anything else, such as escapes or single quotes, is refused rather than read wrongly).
 */
export function stageEnv(dockerfile: Dockerfile, stageName: string): Record<string, string> {
  const stage = dockerfile.stages.find((s) => s.name === stageName);
  if (!stage) throw new Error(`the Dockerfile has no stage ${stageName}`);
  const env: Record<string, string> = {};
  for (const { args } of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    ENV_PAIR.lastIndex = 0;
    while (ENV_PAIR.lastIndex < args.trimEnd().length) {
      const from = ENV_PAIR.lastIndex;
      const match = ENV_PAIR.exec(args);
      if (!match) throw new Error(`cannot read ENV ${args.slice(from).trim()} in stage ${stageName}`);
      env[match[1]!] = match[2] ?? match[3]!;
    }
  }
  return env;
}
