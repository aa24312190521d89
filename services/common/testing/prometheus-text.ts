export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  samples: Sample[];
  /** Metric family names from the `# TYPE` lines: declared even when no sample was recorded yet. */
  families: Set<string>;
  /** The value of one series (labels must match exactly), 0 when it has no sample yet. */
  value(name: string, labels?: Record<string, string>): number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/** Parses the Prometheus text exposition format (what `/metrics` answers). */
export function parsePrometheusText(text: string): Scrape {
  const samples: Sample[] = [];
  const families = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) /.exec(line);
    if (type) families.add(type[1]!);
    const match = line.startsWith('#') ? null : SAMPLE.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(LABEL)].map((m) => [m[1]!, m[2]!]));
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  const sameLabels = (a: Record<string, string>, b: Record<string, string>) =>
    Object.keys(a).length === Object.keys(b).length && Object.entries(b).every(([k, v]) => a[k] === v);
  return {
    samples,
    families,
    value: (name, labels = {}) => samples.find((s) => s.name === name && sameLabels(s.labels, labels))?.value ?? 0,
  };
}

/** GET `<base>/metrics`, parsed. */
export async function scrape(base: string): Promise<Scrape> {
  const response = await fetch(new URL('/metrics', base));
  if (response.status !== 200) throw new Error(`GET ${base}/metrics answered ${response.status}`);
  return parsePrometheusText(await response.text());
}
