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

/**
 * The variables a stage's `ENV` instructions set (`KEY=value` pairs; the images quote none, and a
 * quoted value is refused rather than read wrongly).
 */
export function stageEnv(dockerfile: Dockerfile, stageName: string): Record<string, string> {
  const stage = dockerfile.stages.find((s) => s.name === stageName);
  if (!stage) throw new Error(`the Dockerfile has no stage ${stageName}`);
  const env: Record<string, string> = {};
  for (const { args } of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    for (const pair of args.split(/\s+/).filter(Boolean)) {
      const match = /^([A-Za-z_][A-Za-z0-9_]*)=([^"'\s]*)$/.exec(pair);
      if (!match) throw new Error(`cannot read ENV ${pair} in stage ${stageName}`);
      env[match[1]!] = match[2]!;
    }
  }
  return env;
}
