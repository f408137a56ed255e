/** A tiny hash router: "#/patients/123" → ["patients", "123"]. */
export class Router {
  path = $state('/');
  segments: string[] = $derived(this.path.split('/').filter(Boolean).map(decodeURIComponent));

  constructor() {
    if (typeof window !== 'undefined') {
      this.path = fromHash(window.location.hash);
      window.addEventListener('hashchange', () => {
        this.path = fromHash(window.location.hash);
      });
    }
  }

  navigate(path: string): void {
    const p = path.startsWith('/') ? path : '/' + path;
    this.path = p;
    if (typeof window !== 'undefined' && fromHash(window.location.hash) !== p) {
      window.location.hash = '#' + p;
    }
  }

  /** Whether the current path is `prefix` or below it. */
  isUnder(prefix: string): boolean {
    return this.path === prefix || this.path.startsWith(prefix + '/');
  }
}

export function fromHash(hash: string): string {
  const h = hash.replace(/^#/, '');
  return h.startsWith('/') ? h : '/' + h;
}

export const router = new Router();
