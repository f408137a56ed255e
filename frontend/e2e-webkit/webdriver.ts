import { writeFileSync } from 'node:fs';

// A W3C WebDriver client for the few commands this suite sends to
// WebKitWebDriver (https://www.w3.org/TR/webdriver2/): the protocol is JSON
// over HTTP, so fetch does it, and no client framework stands between the
// suite and what WebKitGTK is told.

/** How WebDriver names an element in JSON (a reference into the browser's page). */
const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
export type Element = { [ELEMENT]: string };

/** WebDriver's codes for keys that are not characters. */
export const Key = {
  backspace: '\uE003',
  tab: '\uE004',
  escape: '\uE00C',
  control: '\uE009',
} as const;

export class Session {
  private constructor(
    private readonly base: string,
    readonly capabilities: Record<string, unknown>,
  ) {}

  /**
   * Starts a browser. WebKitWebDriver starts MiniBrowser, WebKitGTK's own
   * browser (Debian: /usr/lib/<arch>/webkit2gtk-4.1/MiniBrowser), in its
   * --automation mode when no webkitgtk:browserOptions name another binary.
   */
  static async start(driver: string): Promise<Session> {
    const v = await call<{ sessionId: string; capabilities: Record<string, unknown> }>('POST', `${driver}/session`, {
      capabilities: {},
    });
    return new Session(`${driver}/session/${v.sessionId}`, v.capabilities);
  }

  private send<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return call<T>(method, this.base + path, body);
  }

  end(): Promise<void> {
    return this.send('DELETE', '');
  }

  setWindowSize(width: number, height: number): Promise<void> {
    return this.send('POST', '/window/rect', { width, height });
  }

  go(url: string): Promise<void> {
    return this.send('POST', '/url', { url });
  }

  /** Runs a function body in the page; elements it returns come back as references. */
  run<T>(script: string, ...args: unknown[]): Promise<T> {
    return this.send('POST', '/execute/sync', { script, args });
  }

  /** A real click: WebKit moves the pointer to the element's centre and presses there. */
  click(el: Element): Promise<void> {
    return this.send('POST', `/element/${el[ELEMENT]}/click`, {});
  }

  /** Real key presses into the element, one key at a time (WebDriver "Element Send Keys"). */
  type(el: Element, text: string): Promise<void> {
    return this.send('POST', `/element/${el[ELEMENT]}/value`, { text });
  }

  /** Key presses to whatever has focus (WebDriver actions: down and up for each key). */
  async press(...keys: string[]): Promise<void> {
    const actions = keys.flatMap((value) => [
      { type: 'keyDown', value },
      { type: 'keyUp', value },
    ]);
    await this.send('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.send('DELETE', '/actions');
  }

  /** Ctrl+A in the element, the way a person selects a field's text to type over it. */
  async selectAll(el: Element): Promise<void> {
    await this.type(el, `${Key.control}a${Key.control}`);
  }

  property<T>(el: Element, name: string): Promise<T> {
    return this.send('GET', `/element/${el[ELEMENT]}/property/${name}`);
  }

  async screenshot(path: string): Promise<void> {
    const png = await this.send<string>('GET', '/screenshot');
    writeFileSync(path, Buffer.from(png, 'base64'));
  }
}

async function call<T>(method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: body === undefined ? undefined : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as { value: T & { error?: string; message?: string } };
  if (!res.ok) {
    throw new Error(`${method} ${url}: ${json.value?.error ?? res.status} ${json.value?.message ?? ''}`);
  }
  return json.value;
}
