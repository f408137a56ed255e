export type Theme = 'light' | 'dark';
export const THEME_KEY = 'quietdesk.theme';

function readSaved(): Theme | null {
  try {
    const v = localStorage.getItem(THEME_KEY);
    return v === 'light' || v === 'dark' ? v : null;
  } catch {
    return null;
  }
}

/** Follows the system's light/dark preference until the user picks one, which is remembered. */
export class ThemeStore {
  /** The user's explicit choice; null follows the system. */
  choice = $state<Theme | null>(readSaved());
  systemDark = $state(false);
  effective: Theme = $derived(this.choice ?? (this.systemDark ? 'dark' : 'light'));

  private media: MediaQueryList | null = null;

  constructor() {
    if (typeof window !== 'undefined' && typeof window.matchMedia === 'function') {
      this.media = window.matchMedia('(prefers-color-scheme: dark)');
      this.systemDark = this.media.matches;
      this.media.addEventListener('change', (e) => {
        this.systemDark = e.matches;
        this.apply();
      });
    }
    this.apply();
  }

  toggle(): void {
    this.set(this.effective === 'dark' ? 'light' : 'dark');
  }

  set(t: Theme | null): void {
    this.choice = t;
    try {
      if (t) localStorage.setItem(THEME_KEY, t);
      else localStorage.removeItem(THEME_KEY);
    } catch {
      // storage unavailable: the choice lasts for this session only
    }
    this.apply();
  }

  /** The page's data-theme always names the effective theme, so the CSS has one dark palette. */
  private apply(): void {
    if (typeof document === 'undefined') return;
    document.documentElement.dataset.theme = this.effective;
  }
}

export const theme = new ThemeStore();
