/**
 * The pieces of the cluster rehearsal: pods as local processes started from the production trees
 * with the environment their manifests give them, a small layer-4 proxy per Service (kube-proxy),
 * nginx for ingress-nginx (the rendered Ingress), MariaDB for the MySQL StatefulSet and
 * aws-ses-v2-local for SES.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, writeFileSync } from 'node:fs';
import { request as httpRequest, Agent, type IncomingHttpHeaders } from 'node:http';
import { connect, createServer, type Server as NetServer, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { freePort } from '@merchant-platform/common/testing/ports';

// The SES emulator and free ports are the shared test kit's; re-exported for the rehearsal.
export { freePort } from '@merchant-platform/common/testing/ports';
export { SesEmulator } from '@merchant-platform/common/testing/ses-emulator';
import type { K8sObject } from './render.js';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  json: any;
}

const keepAlive = new Agent({ keepAlive: true, maxSockets: 64 });

/** One HTTP request on loopback (node:http, so a Host header can name the Ingress host). */
export function http(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown; keepAlive?: boolean } = {},
): Promise<HttpResponse> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        agent: options.keepAlive ? keepAlive : undefined,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...options.headers },
        timeout: 15_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text ? JSON.parse(text) : undefined;
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${options.method ?? 'GET'} ${path}`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** A pod's container: the manifest's command run in the service's production tree. */
export class Container {
  readonly logs: string[] = [];
  readonly exited: Promise<number | null>;
  private readonly child: ChildProcess;

  constructor(
    readonly name: string,
    command: string[],
    readonly cwd: string,
    readonly env: Record<string, string>,
  ) {
    const [executable, ...args] = command;
    // `node` in the manifest is the image's node: here, the one running the tests.
    this.child = spawn(executable === 'node' ? process.execPath : executable!, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const collect = (chunk: Buffer) => {
      this.logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      if (this.logs.length > 400) this.logs.splice(0, this.logs.length - 400);
    };
    this.child.stdout!.on('data', collect);
    this.child.stderr!.on('data', collect);
    this.exited = new Promise((resolve) => this.child.on('exit', (code) => resolve(code)));
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  signal(signal: NodeJS.Signals): void {
    if (this.running) this.child.kill(signal);
  }

  tail(lines = 30): string {
    return `--- ${this.name} ---\n${this.logs.slice(-lines).join('\n')}`;
  }
}

/**
 * kube-proxy for one Service: a layer-4 proxy on a loopback port that spreads new connections over
 * the Service's ready endpoints. Changing the endpoints never disturbs open connections, as an
 * iptables update does not.
 */
export class ServiceProxy {
  private next = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private endpoints: number[],
    private readonly server: NetServer,
  ) {}

  static async start(endpoints: number[]): Promise<ServiceProxy> {
    const port = await freePort();
    const holder: { proxy?: ServiceProxy } = {};
    const server = createServer((client) => holder.proxy!.forward(client));
    const proxy = new ServiceProxy(port, endpoints, server);
    holder.proxy = proxy;
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return proxy;
  }

  setEndpoints(endpoints: number[]): void {
    this.endpoints = endpoints;
  }

  get currentEndpoints(): number[] {
    return [...this.endpoints];
  }

  private forward(client: Socket): void {
    const target = this.endpoints[this.next++ % Math.max(this.endpoints.length, 1)];
    if (target === undefined) return void client.destroy();
    const upstream = connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** nginx in the foreground on loopback with a config the rehearsal writes. */
export class Nginx {
  private process: ChildProcess | undefined;
  readonly logs: string[] = [];

  constructor(
    readonly binary: string,
    readonly dir: string,
  ) {}

  /** nginx from PATH or /usr/sbin; installs Debian's package when it is missing (CI runs as root). */
  static locate(): string {
    const candidates = [...(process.env.PATH ?? '').split(':').map((d) => join(d, 'nginx')), '/usr/sbin/nginx'];
    const found = () =>
      candidates.find((c) => {
        try {
          accessSync(c, constants.X_OK);
          return true;
        } catch {
          return false;
        }
      });
    if (found()) return found()!;
    const install = spawnSync('sh', ['-c', 'apt-get install -y nginx || (apt-get update && apt-get install -y nginx)'], {
      encoding: 'utf8',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    const binary = found();
    if (!binary) throw new Error(`nginx is not installed and apt-get could not install it (exit ${install.status}):\n${install.stderr}`);
    return binary;
  }

  async start(config: string): Promise<void> {
    this.write(config);
    this.process = spawn(this.binary, ['-p', this.dir, '-c', join(this.dir, 'nginx.conf'), '-g', 'daemon off;'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.process.stderr!.on('data', (c: Buffer) => this.logs.push(c.toString('utf8')));
    this.process.stdout!.on('data', (c: Buffer) => this.logs.push(c.toString('utf8')));
    await sleep(300);
    if (this.process.exitCode !== null) throw new Error(`nginx exited: ${this.logs.join('')}`);
  }

  async stop(): Promise<void> {
    if (!this.process || this.process.exitCode !== null) return;
    const exited = new Promise((resolve) => this.process!.on('exit', resolve));
    this.process.kill('SIGQUIT');
    await Promise.race([exited, sleep(5_000)]);
    this.process.kill('SIGKILL');
  }

  private write(config: string): void {
    for (const sub of ['logs', 'tmp']) mkdirSync(join(this.dir, sub), { recursive: true });
    writeFileSync(join(this.dir, 'nginx.conf'), config);
  }
}

const TEMP_PATHS = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'];

/**
 * nginx.conf for the rendered Ingress as ingress-nginx serves it. Each backend is its Service's
 * proxy (Service name -> loopback port): ingress-nginx follows endpoint changes without a reload,
 * and so does that proxy, so nginx never reloads during a test.
 */
export function nginxConfig(dir: string, ingress: K8sObject, ingressPort: number, services: Map<string, number>): string {
  const lines = [
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'logs', 'error.log')} warn;`,
    'events { worker_connections 1024; }',
    'http {',
    `  access_log ${join(dir, 'logs', 'access.log')};`,
    ...TEMP_PATHS.map((t) => `  ${t}_temp_path ${join(dir, 'tmp', t)};`),
    '  server {',
    `    listen 127.0.0.1:${ingressPort} default_server;`,
    '    return 404;',
    '  }',
  ];
  for (const rule of ingress.spec.rules) {
    // Unrouted paths go to ingress-nginx's default backend, which answers 404.
    lines.push(
      '  server {',
      `    listen 127.0.0.1:${ingressPort};`,
      `    server_name ${rule.host};`,
      '    location / {',
      '      return 404;',
      '    }',
    );
    for (const p of rule.http.paths) {
      assert(p.pathType === 'Prefix', `pathType ${p.pathType} is not rehearsed`);
      const port = services.get(p.backend.service.name);
      assert(port !== undefined, `the Ingress routes to ${p.backend.service.name}, which has no Service`);
      // ingress-nginx's defaults: forwarded headers, retry on connection errors for idempotent requests.
      const proxy = [
        `      proxy_pass http://127.0.0.1:${port};`,
        '      proxy_set_header Host $host;',
        '      proxy_set_header X-Forwarded-For $remote_addr;',
        '      proxy_set_header X-Forwarded-Proto $scheme;',
        '      proxy_set_header X-Request-Id $request_id;',
        '      proxy_next_upstream error timeout;',
        '      proxy_next_upstream_tries 3;',
      ];
      // Prefix /auth matches /auth and /auth/..., never /authx.
      lines.push(`    location = ${p.path} {`, ...proxy, '    }', `    location ${p.path}/ {`, ...proxy, '    }');
    }
    lines.push('  }');
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

/** Where a file a container reads through a volume lands on this machine. */
export function materialiseVolumes(
  pod: K8sObject['spec'],
  container: K8sObject,
  secrets: Record<string, Record<string, string>>,
  root: string,
): Map<string, string> {
  const mounts = new Map<string, string>();
  for (const mount of container.volumeMounts ?? []) {
    const volume = pod.volumes.find((v: { name: string }) => v.name === mount.name);
    const local = join(root, container.name, mount.name);
    mkdirSync(local, { recursive: true });
    if (volume.secret) {
      const data = secrets[volume.secret.secretName] ?? {};
      for (const item of volume.secret.items ?? Object.keys(data).map((key) => ({ key, path: key }))) {
        const value = data[item.key];
        if (value === undefined) throw new Error(`Secret ${volume.secret.secretName} has no key ${item.key}`);
        mkdirSync(dirname(join(local, item.path)), { recursive: true });
        writeFileSync(join(local, item.path), value, { mode: 0o440 });
      }
    }
    mounts.set(mount.mountPath, local);
  }
  return mounts;
}
