/** One response as a browser sees it, before it follows any redirect. */
export interface BrowserResponse {
  status: number;
  headers: Headers;
  /** The Location header, resolved against the request URL. */
  location: string | undefined;
  text: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies are asserted field by field
  body: any;
  setCookies: string[];
}

/** The Accept header of a real browser's page navigation; a plain `fetch`, as API clients send, accepts any type. */
export const PAGE_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

/**
 * Just enough of a browser for OpenID flows: a cookie jar per host, redirects followed by hand
 * (`redirect: 'manual'`), forms posted. `routes` maps public origins to the loopback servers
 * that answer for them, as DNS and an ingress would (`http://api.merchant.test` -> auth).
 */
export class Browser {
  private readonly jars = new Map<string, Map<string, string>>();

  /** `accept`: the Accept header of every request (PAGE_ACCEPT to act as a page navigation); none by default. */
  constructor(
    private readonly routes: Record<string, string> = {},
    private readonly accept?: string,
  ) {}

  get(url: string): Promise<BrowserResponse> {
    return this.send('GET', url);
  }

  postForm(url: string, form: Record<string, string>): Promise<BrowserResponse> {
    return this.send('POST', url, new URLSearchParams(form).toString());
  }

  cookie(url: string, name: string): string | undefined {
    return this.jar(new URL(url).host).get(name);
  }

  setCookie(url: string, name: string, value: string): void {
    this.jar(new URL(url).host).set(name, value);
  }

  /** Everything this browser holds for a host, to replay later as an attacker would. */
  snapshot(url: string): Map<string, string> {
    return new Map(this.jar(new URL(url).host));
  }

  restore(url: string, cookies: Map<string, string>): void {
    this.jars.set(new URL(url).host, new Map(cookies));
  }

  private async send(method: string, url: string, form?: string): Promise<BrowserResponse> {
    const target = new URL(url);
    const jar = this.jar(target.host);
    const headers: Record<string, string> = {};
    if (jar.size) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    if (form !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
    if (this.accept) headers.accept = this.accept;
    const route = this.routes[target.origin];
    const wire = route ? route + target.pathname + target.search : url;
    const response = await fetch(wire, { method, headers, body: form, redirect: 'manual' });
    const setCookies = response.headers.getSetCookie();
    for (const header of setCookies) store(jar, header);
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    const location = response.headers.get('location') ?? undefined;
    return {
      status: response.status,
      headers: response.headers,
      location: location && new URL(location, url).href,
      text,
      body,
      setCookies,
    };
  }

  private jar(host: string): Map<string, string> {
    let jar = this.jars.get(host);
    if (!jar) this.jars.set(host, (jar = new Map()));
    return jar;
  }
}

/** Paths are ignored (flows here never hold two cookies of one name); expiry deletes. */
function store(jar: Map<string, string>, header: string): void {
  const [pair, ...attributes] = header.split(';');
  const eq = pair!.indexOf('=');
  const name = pair!.slice(0, eq).trim();
  const value = pair!.slice(eq + 1).trim();
  const expired = attributes.some((attribute) => {
    const [key, val = ''] = attribute.trim().split('=');
    if (key!.toLowerCase() === 'max-age') return Number(val) <= 0;
    if (key!.toLowerCase() === 'expires') return Date.parse(val) <= Date.now();
    return false;
  });
  if (expired || value === '') jar.delete(name);
  else jar.set(name, value);
}
