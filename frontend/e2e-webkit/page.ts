import type { Element, Session } from './webdriver';

// Finding things the way a person names them (a label, a button's words),
// which WebDriver's CSS and XPath locators do not do: a small function runs
// in the page and hands back the element, and the clicks and key presses
// then go through WebDriver as real input.

/** Helpers defined in the page before each finder runs. */
const PRELUDE = `
  const shown = (e) => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const words = (e) => (e.innerText ?? e.textContent ?? '').replace(/\\s+/g, ' ').trim();
  // A label's own words, without the screen-reader-only context before them.
  const labelWords = (l) => [...l.childNodes]
    .filter((n) => !n.classList?.contains('visually-hidden'))
    .map((n) => n.textContent).join('').replace(/\\s+/g, ' ').trim();
  // The open dialog, else the page: what a person can act on.
  const top = () => [...document.querySelectorAll('dialog[open]')].pop() ?? document;
  const byLabel = (name) => [...top().querySelectorAll('label')]
    .filter((l) => labelWords(l) === name).map((l) => l.control).find(shown) ?? null;
  const button = (name) => [...top().querySelectorAll('button, a[href]')]
    .find((b) => shown(b) && (words(b) === name || b.getAttribute('aria-label') === name)) ?? null;
`;

const WAIT_MS = 15_000;

export class Page {
  constructor(readonly s: Session) {}

  /**
   * The element the script's expression names once it is on screen; the
   * expression may use the PRELUDE's helpers and `args`.
   */
  async find(what: string, expression: string, args: unknown[] = [], timeoutMs = WAIT_MS): Promise<Element> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const el = await this.s
        .run<Element | null>(`${PRELUDE} const args = arguments; return ${expression};`, ...args)
        .catch((e: unknown) => {
          // The page re-rendered the element between finding it and handing it over
          // (a record reloading after a save): as good as not there yet.
          if (e instanceof Error && e.message.includes('stale element')) return null;
          throw e;
        });
      if (el) return el;
      if (Date.now() > deadline) throw new Error(`not on screen after ${timeoutMs} ms: ${what}`);
      await sleep(200);
    }
  }

  /** Evaluates an expression in the page (with the PRELUDE's helpers). */
  eval<T>(expression: string, ...args: unknown[]): Promise<T> {
    return this.s.run<T>(`${PRELUDE} const args = arguments; return ${expression};`, ...args);
  }

  /** The control a label names, in the open dialog if there is one. */
  field(label: string, timeoutMs?: number): Promise<Element> {
    return this.find(`the field labelled "${label}"`, 'byLabel(args[0])', [label], timeoutMs);
  }

  /** A button or link by its words or aria-label, in the open dialog if there is one. */
  button(name: string, timeoutMs?: number): Promise<Element> {
    return this.find(`the button "${name}"`, 'button(args[0])', [name], timeoutMs);
  }

  /** The first element matching a CSS selector whose words contain text. */
  withText(selector: string, text: string, timeoutMs?: number): Promise<Element> {
    return this.find(
      `${selector} saying "${text}"`,
      '[...top().querySelectorAll(args[0])].find((e) => shown(e) && words(e).includes(args[1])) ?? null',
      [selector, text],
      timeoutMs,
    );
  }

  /** Whether some element matching the selector shows text (in the whole page). */
  shows(selector: string, text: string): Promise<boolean> {
    return this.eval<boolean>(
      '[...document.querySelectorAll(args[0])].some((e) => shown(e) && words(e).includes(args[1]))',
      selector,
      text,
    );
  }

  async click(el: Element | Promise<Element>): Promise<void> {
    await this.s.click(await el);
  }

  async value(el: Element | Promise<Element>): Promise<string> {
    return this.s.property<string>(await el, 'value');
  }

  /** Whether the element has the keyboard focus. */
  focused(el: Element): Promise<boolean> {
    return this.s.run<boolean>('return document.activeElement === arguments[0];', el);
  }

  /** Whether an open dialog is on screen. */
  dialogOpen(): Promise<boolean> {
    return this.eval<boolean>(`document.querySelector('dialog[open]') !== null`);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
