import * as api from '../api';
import type { Account, NewAccount } from '../api';

export class StaffStore {
  accounts = $state<Account[]>([]);

  async load(): Promise<Account[]> {
    this.accounts = await api.staff.accounts();
    return this.accounts;
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
  }
}

export function emptyAccount(): Account {
  return { id: '', username: '', displayName: '', role: 'frontdesk', clinicianId: '', disabled: false };
}

export const staffStore = new StaffStore();
