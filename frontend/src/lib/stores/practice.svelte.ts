import * as api from '../api';
import type { Settings } from '../api';

/** The practice's settings (name, identifiers, zone, lock time, policy); reference lists live in reference.svelte.ts. */
export class PracticeStore {
  settings = $state<Settings | null>(null);

  async loadSettings(): Promise<Settings> {
    const s = await api.practiceApi.settings();
    this.settings = s;
    return s;
  }

  async saveSettings(s: Settings): Promise<Settings> {
    const saved = await api.practiceApi.saveSettings(s);
    this.settings = saved;
    return saved;
  }

  /** Reloads the settings if a screen has loaded them. */
  async refresh(): Promise<void> {
    if (this.settings) await this.loadSettings();
  }

  reset(): void {
    this.settings = null;
  }
}

/** "anxiety, couples ,  " → ["anxiety", "couples"] */
export function splitList(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
}

export function joinList(list: readonly string[] | null | undefined): string {
  return (list ?? []).join(', ');
}

export const practiceStore = new PracticeStore();
