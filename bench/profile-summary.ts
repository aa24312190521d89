/**
 * Where the CPU went in a V8 profile written by `npm run bench -- --cpu-prof`:
 * `node --import=tsx bench/profile-summary.ts bench/results/profiles/<file>.cpuprofile [top]`.
 * Prints self time by package (node_modules/<name>, services/<name>, node: internals) and the
 * functions with the most self time, so a hot path can be found without a browser.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const [file, topArg] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: profile-summary.ts <file.cpuprofile> [top]\n');
  process.exit(2);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));

const selfMicros = new Map<number, number>();
profile.samples.forEach((id, i) => selfMicros.set(id, (selfMicros.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
// Percentages are of busy time: a bench profile spans idle start-up and pauses between scenarios.
const isIdle = (id: number) => byId.get(id)?.callFrame.functionName === '(idle)';
const total = [...selfMicros].reduce((s, [id, v]) => (isIdle(id) ? s : s + v), 0);

function owner(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  const service = /services\/([^/]+)\//.exec(url)?.[1];
  if (service) return `services/${service}`;
  if (url.startsWith('node:')) return url;
  return url.replace(/^file:\/\//, '');
}

const byOwner = new Map<string, number>();
const byFunction = new Map<string, number>();
for (const [id, micros] of selfMicros) {
  if (isIdle(id)) continue;
  const frame = byId.get(id)!.callFrame;
  const who = owner(frame.url, frame.functionName);
  byOwner.set(who, (byOwner.get(who) ?? 0) + micros);
  const fn = `${frame.functionName || '(anonymous)'} ${who}:${frame.lineNumber + 1}`;
  byFunction.set(fn, (byFunction.get(fn) ?? 0) + micros);
}

const pct = (v: number) => `${((100 * v) / total).toFixed(1).padStart(5)}%`;
const print = (title: string, map: Map<string, number>) => {
  process.stdout.write(`\n${title}\n`);
  for (const [name, micros] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) process.stdout.write(`${pct(micros)}  ${name}\n`);
};
process.stdout.write(`${file}: ${(total / 1e6).toFixed(1)} s busy\n`);
print('self time by package', byOwner);
print('self time by function', byFunction);
