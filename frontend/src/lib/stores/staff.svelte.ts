import * as api from '../api';
import type { Account, NewAccount } from '../api';

export class StaffStore {
  accounts = $state<Account[]>([]);
  private loaded = false;

  async load(): Promise<Account[]> {
    this.accounts = await api.staff.accounts();
    this.loaded = true;
    return this.accounts;
  }

  /** Reloads the accounts if a screen has loaded them. */
  async refresh(): Promise<void> {
    if (this.loaded) await this.load();
  }

  async create(a: NewAccount): Promise<Account> {
    const saved = await api.staff.create(a);
    this.accounts = [...this.accounts, saved];
    return saved;
  }

  async update(a: Account): Promise<Account> {
    const saved = await api.staff.update(a);
    this.accounts = this.accounts.map((x) => (x.id === saved.id ? saved : x));
    return saved;
  }

  async resetPassword(accountId: string, password: string): Promise<void> {
    await api.staff.resetPassword(accountId, password);
  }

  reset(): void {
    this.accounts = [];
    this.loaded = false;
  }
}

export function emptyAccount(): Account {
  return { id: '', username: '', displayName: '', role: 'frontdesk', clinicianId: '', disabled: false };
}

export const staffStore = new StaffStore();
