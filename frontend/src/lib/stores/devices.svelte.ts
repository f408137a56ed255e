import { devices, joining } from '../api/devices';
import type { ConflictItem, DiscoveredDevice, JoinProgress, PairingCode, PeerDevice, SyncStatus } from '../api/devices';
import type { SessionStatus } from '../api';

/** How often the sync indicator and the Devices screen ask for news. */
export const STATUS_POLL_MS = 3000;

/** This machine's sync: its peers, the pairing window and the conflicts merging found. */
export class DevicesStore {
  status = $state<SyncStatus | null>(null);
  conflicts = $state<ConflictItem[]>([]);
  pairing = $state<PairingCode | null>(null);

  /** Paired machines, connected ones first, removed ones last. */
  peers: PeerDevice[] = $derived.by(() => {
    const rank = (p: PeerDevice) => (p.removed ? 2 : p.connected ? 0 : 1);
    return [...(this.status?.peers ?? [])].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
  });

  async refresh(): Promise<SyncStatus> {
    const st = await devices.status();
    this.status = st;
    if (!st.pairingOpen) this.pairing = null;
    return st;
  }

  async loadConflicts(): Promise<ConflictItem[]> {
    this.conflicts = await devices.conflicts();
    return this.conflicts;
  }

  async openPairing(): Promise<PairingCode> {
    this.pairing = await devices.openPairing();
    await this.refresh();
    return this.pairing;
  }

  async closePairing(): Promise<void> {
    await devices.closePairing();
    this.pairing = null;
    await this.refresh();
  }

  async connect(address: string): Promise<void> {
    await devices.connectAddress(address.trim());
    await this.refresh();
  }

  async unlockHub(deviceId: string, password: string): Promise<void> {
    await devices.unlockHub(deviceId, password);
    await this.refresh();
  }

  async remove(deviceId: string): Promise<void> {
    await devices.remove(deviceId);
    await this.refresh();
  }

  async resolve(id: string, choice: string): Promise<void> {
    await devices.resolveConflict(id, choice);
    await Promise.all([this.loadConflicts(), this.refresh()]);
  }

  reset(): void {
    this.status = null;
    this.conflicts = [];
    this.pairing = null;
  }
}

export const devicesStore = new DevicesStore();

/** First run on a new machine: find a paired machine and copy the practice from it. */
export class JoinStore {
  found = $state<DiscoveredDevice[]>([]);
  progress = $state<JoinProgress | null>(null);
  joining = $state(false);

  async discover(): Promise<DiscoveredDevice[]> {
    this.found = await joining.discovered();
    return this.found;
  }

  /** Pairs with the machine at address and copies the practice, reporting progress as it goes. */
  async join(address: string, code: string): Promise<SessionStatus> {
    this.joining = true;
    this.progress = null;
    const off = joining.onProgress((p) => (this.progress = p));
    try {
      return await joining.join(address.trim(), code.trim());
    } finally {
      off();
      this.joining = false;
    }
  }
}

/** The share of the copy done, 0–100; null before the first report. */
export function percentDone(p: JoinProgress | null): number | null {
  if (!p) return null;
  if (p.total <= 0) return 100;
  return Math.min(100, Math.round((100 * p.done) / p.total));
}

/** "3 min ago", "just now", "never": how long since a peer was seen. */
export function seenAgo(iso: string, nowMs: number = Date.now()): string {
  if (!iso) return 'never';
  const secs = Math.max(0, Math.round((nowMs - Date.parse(iso)) / 1000));
  if (secs < 10) return 'just now';
  if (secs < 60) return `${secs} s ago`;
  const mins = Math.round(secs / 60);
  if (mins < 60) return `${mins} min ago`;
  const hours = Math.round(mins / 60);
  if (hours < 48) return `${hours} h ago`;
  return `${Math.round(hours / 24)} days ago`;
}

/** "+2.3 s", "−4 min": a peer's clock offset in words a person reads at a glance. */
export function offsetWords(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  const abs = Math.abs(ms);
  if (abs < 1000) return 'in step';
  if (abs < 60_000) return `${sign}${(abs / 1000).toFixed(1)} s`;
  return `${sign}${Math.round(abs / 60_000)} min`;
}
