/** One response of the web pages, read. */
export interface WebResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
  /** `Location` of a redirect, else null. */
  readonly location: string | null;
}

/**
 * A browser stand-in for in-process page tests: keeps cookies, sends `Origin` on posts like a browser
 * does, and reads the anti-forgery token from the last page it got.
 */
export class WebClient {
  private readonly cookies = new Map<string, string>();
  /** The last page received. */
  last: WebResponse | undefined;

  constructor(readonly base: string) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  private cookieHeader(): Record<string, string> {
    return this.cookies.size === 0 ? {} : { Cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  private async read(response: Response): Promise<WebResponse> {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const [name, value] = [pair.slice(0, eq), pair.slice(eq + 1)];
      if (/Max-Age=0/.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const result = { status: response.status, headers: response.headers, body: await response.text(), location: response.headers.get('location') };
    this.last = result;
    return result;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<WebResponse> {
    return this.read(await fetch(`${this.base}${path}`, { redirect: 'manual', headers: { Accept: 'text/html', ...this.cookieHeader(), ...headers } }));
  }

  /** Posts a form; `_csrf` is taken from the last page unless given; `origin: null` sends none. */
  async post(path: string, form: Record<string, string | string[]>, options: { origin?: string | null; csrf?: string | null; headers?: Record<string, string> } = {}): Promise<WebResponse> {
    const body = new URLSearchParams();
    const csrf = options.csrf === undefined ? this.csrf() : options.csrf;
    if (csrf !== null && csrf !== undefined) body.append('_csrf', csrf);
    for (const [name, value] of Object.entries(form)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
    const origin = options.origin === undefined ? this.base : options.origin;
    return this.read(
      await fetch(`${this.base}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Accept: 'text/html', 'Content-Type': 'application/x-www-form-urlencoded', ...(origin === null ? {} : { Origin: origin }), ...this.cookieHeader(), ...(options.headers ?? {}) },
        body,
      }),
    );
  }

  /** Posts a multipart form (an upload) as a browser does, `_csrf` from the last page unless given; `origin: null` sends none. */
  async postMultipart(path: string, form: FormData, options: { origin?: string | null; csrf?: string | null } = {}): Promise<WebResponse> {
    const csrf = options.csrf === undefined ? this.csrf() : options.csrf;
    const body = new FormData();
    if (csrf !== null && csrf !== undefined) body.append('_csrf', csrf);
    for (const [name, value] of form.entries()) body.append(name, value);
    const origin = options.origin === undefined ? this.base : options.origin;
    return this.read(
      await fetch(`${this.base}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { Accept: 'text/html', ...(origin === null ? {} : { Origin: origin }), ...this.cookieHeader() },
        body,
      }),
    );
  }

  /**
   * Posts a form with files as a browser does (multipart/form-data, fields in order, `_csrf` first,
   * taken from the last page unless given); each file a part named `attachments`.
   */
  async postFiles(path: string, form: Record<string, string>, files: readonly { name: string; bytes: Buffer }[], options: { csrf?: string } = {}): Promise<WebResponse> {
    const body = new FormData();
    for (const [name, value] of Object.entries(form)) body.append(name, value);
    for (const file of files) body.append('attachments', new Blob([new Uint8Array(file.bytes)]), file.name);
    return this.postMultipart(path, body, options.csrf === undefined ? {} : { csrf: options.csrf });
  }

  /** The `_csrf` hidden field of the last page. */
  csrf(): string | undefined {
    return this.last === undefined ? undefined : /name="_csrf" value="([^"]+)"/.exec(this.last.body)?.[1];
  }

  /** Signs in with a token through the sign-in form; returns the redirect. */
  async signIn(token: string, next?: string): Promise<WebResponse> {
    await this.get(next === undefined ? '/login' : `/login?next=${encodeURIComponent(next)}`);
    return this.post('/login', { token, ...(next === undefined ? {} : { next }) });
  }
}

/** The visible text of some HTML: tags dropped, entities of the escaper decoded, whitespace squeezed. */
export function textOf(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}

/** The HTML of the element with this id (up to its closing tag of the same name; no nesting of that tag inside). */
export function elementById(html: string, id: string): string | undefined {
  const open = new RegExp(`<(\\w+)[^>]*\\sid="${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"[^>]*>`).exec(html);
  if (open === null) return undefined;
  const close = html.indexOf(`</${open[1]}>`, open.index + open[0].length);
  return close < 0 ? open[0] : html.slice(open.index, close + open[1]!.length + 3);
}

/** Every id that a <label for> names, and every form control's id, of some HTML. */
export function labelsAndControls(html: string): { labelled: Set<string>; controls: string[] } {
  const labelled = new Set([...html.matchAll(/<label[^>]*\sfor="([^"]+)"/g)].map((m) => m[1]!));
  const controls = [...html.matchAll(/<(input|textarea|select)\b([^>]*)>/g)]
    .filter((m) => !/type="hidden"/.test(m[2]!))
    .map((m) => /\sid="([^"]+)"/.exec(m[2]!)?.[1] ?? `(no id: ${m[0]})`);
  return { labelled, controls };
}
