import * as api from '../api';
import { hideSetup, setupHidden, setupSteps, type SetupStep } from '../setup';
import { session } from './session.svelte';

/**
 * The owner's first-run checklist, read fresh from the practice's data each
 * time it is shown (a step is done because the data is there, not because a
 * box was ticked). Put away per computer ("Later", or once all is done).
 */
export class SetupStore {
  steps = $state<SetupStep[] | null>(null);
  hidden = $state(false);

  /** Whether this account sets the practice up (the owner). */
  get applies(): boolean {
    return session.can('Practice.SaveSettings');
  }

  get done(): number {
    return this.steps?.filter((s) => s.done).length ?? 0;
  }

  get complete(): boolean {
    return this.steps !== null && this.steps.every((s) => s.done);
  }

  private get practice(): string {
    return session.status?.practiceName ?? '';
  }

  async load(): Promise<void> {
    this.hidden = setupHidden(this.practice);
    if (!this.applies) {
      this.steps = [];
      return;
    }
    const can = (p: string) => session.can(p);
    const [settings, cal, payers, accounts] = await Promise.all([
      can('Practice.Settings') ? api.practiceApi.settings() : null,
      can('Calendar.Setup') ? api.calendarApi.setup() : null,
      can('Practice.Payers') ? api.practiceApi.payers() : null,
      can('Staff.Accounts') ? api.staff.accounts() : null,
    ]);
    this.steps = setupSteps({
      timezone: settings ? settings.timezone : null,
      locations: cal ? (cal.locations ?? []) : null,
      rooms: cal ? (cal.rooms ?? []) : null,
      clinicians: cal ? (cal.clinicians ?? []) : null,
      hours: cal ? (cal.hours ?? []) : null,
      types: cal ? (cal.types ?? []) : null,
      accounts,
      payers,
    });
  }

  /** "Later", or "Done" once complete: the checklist is put away on this computer. */
  hide(): void {
    hideSetup(this.practice, true);
    this.hidden = true;
  }

  show(): void {
    hideSetup(this.practice, false);
    this.hidden = false;
  }

  reset(): void {
    this.steps = null;
    this.hidden = false;
  }
}

export const setupStore = new SetupStore();
