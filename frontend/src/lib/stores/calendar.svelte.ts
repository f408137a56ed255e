import * as api from '../api';
import type {
  AppointmentDetail,
  AppointmentType,
  Booking,
  CalendarPolicy,
  BookingResult,
  CalendarEvent,
  CalendarSetup,
  ChangeResult,
  Clinician,
  Conflict,
  Move,
  Removal,
  Room,
  Slot,
  SlotQuery,
  StatusChange,
  TimeOff,
  WorkingHours,
} from '../api';
import { reference, type ReferenceStore } from './reference.svelte';
import { setPracticeClock } from '../clock.svelte';
import {
  addDays,
  addMonths,
  dateKey,
  instantOf,
  parseWall,
  todayIn,
  usableZone,
  type WallClock,
} from '../calendar/zone';

/** The calendar's views: by clinician (day, week), by room, one clinician's week, month, agenda. */
export type CalendarViewId = 'day' | 'week' | 'rooms' | 'clinician' | 'month' | 'agenda';

export const VIEW_LABELS: Record<CalendarViewId, string> = {
  day: 'Day',
  week: 'Week',
  rooms: 'Rooms',
  clinician: 'One clinician',
  month: 'Month',
  agenda: 'Agenda',
};

/** Tables behind what the calendar shows: the appointments in view (with patient names) and time off. */
export const RANGE_TABLES: readonly string[] = ['appointments', 'series', 'time_off', 'patients'];
/** Tables behind the calendar's setup: types, hours, and the practice's zone and policy. */
export const SETUP_TABLES: readonly string[] = ['appointment_types', 'working_hours', 'settings'];

/** The performance mark set each time a range's appointments arrive. */
export const RANGE_LOADED_MARK = 'calendar:range-loaded';

/** The backend refuses longer ranges (Calendar.Range). */
export const MAX_RANGE_DAYS = 62;

/** What the calendar keeps of its setup; clinicians, locations and rooms go to the reference store. */
export type CalendarOwnSetup = Omit<CalendarSetup, 'clinicians' | 'locations' | 'rooms'>;

const EMPTY_SETUP: CalendarOwnSetup = {
  zone: 'UTC',
  policy: { lateCancelHours: 24, lateCancelFeeCents: 0, noShowFeeCents: 0 },
  defaultTypeId: '',
  clock: '',
  types: [],
  hours: [],
};

/** A clinician's name as the calendar shows it: "Ana Ruiz, LCSW". */
export function clinicianName(c: Clinician | undefined): string {
  if (!c) return 'Unknown clinician';
  const name = `${c.firstName} ${c.lastName}`.trim();
  return c.credentials ? `${name}, ${c.credentials}` : name;
}

/** The schedule: reference data, what is shown (view, day, filters) and the appointments in view. */
export class CalendarStore {
  setup = $state<CalendarOwnSetup>(EMPTY_SETUP);
  loaded = $state(false);
  view = $state<CalendarViewId>('day');
  /** The day the view is anchored on, "YYYY-MM-DD" in the practice's zone. */
  date = $state('');
  /** Filters: a location ("" = all) and clinicians (empty = all). */
  locationId = $state('');
  clinicianIds = $state<string[]>([]);
  /** The clinician of the "one clinician" view. */
  clinicianId = $state('');
  events = $state<CalendarEvent[]>([]);
  timeOff = $state<TimeOff[]>([]);
  loading = $state(false);
  /** Time off from today on (Settings → Time off). */
  timeOffAhead = $state<TimeOff[]>([]);
  /** The range shown, [from, from + days) as wall clocks in the practice's zone. */
  shown = $state<{ from: WallClock; days: number } | null>(null);
  /** A patient to book for, chosen on their record; the schedule opens New appointment with them. */
  bookingFor = $state<{ patientId: string; patientName: string } | null>(null);
  /** The range asked for; it becomes `shown` when its appointments arrive. */
  private wanted: { from: WallClock; days: number } | null = null;

  private seq = 0;
  private timeOffLoaded = false;

  constructor(private readonly ref: ReferenceStore = reference) {}

  get zone(): string {
    return usableZone(this.setup.zone);
  }

  get types(): AppointmentType[] {
    return this.setup.types ?? [];
  }

  type(id: string): AppointmentType | undefined {
    return this.types.find((t) => t.id === id);
  }

  get activeTypes(): AppointmentType[] {
    return this.types.filter((t) => t.active);
  }

  /** The type a new booking starts with: the practice's choice, else the first active one. */
  get defaultType(): AppointmentType | undefined {
    const active = this.activeTypes;
    return active.find((t) => t.id === this.setup.defaultTypeId) ?? active[0];
  }

  get clinicians(): Clinician[] {
    return this.ref.activeClinicians;
  }

  get hours(): WorkingHours[] {
    return this.setup.hours ?? [];
  }

  /** The clinicians whose columns are shown, after the filters. */
  get shownClinicians(): Clinician[] {
    let list = this.clinicians;
    if (this.clinicianIds.length) list = list.filter((c) => this.clinicianIds.includes(c.id));
    if (this.locationId) {
      const here = this.hours.filter((h) => h.locationId === this.locationId);
      list = list.filter((c) => here.some((h) => h.clinicianId === c.id));
    }
    return list;
  }

  /** Rooms of the chosen location (of the first location when none is chosen). */
  get shownRooms(): Room[] {
    const loc = this.roomLocationId;
    return this.ref.rooms.filter((r) => r.active && r.locationId === loc);
  }

  get roomLocationId(): string {
    return this.locationId || this.ref.activeLocations[0]?.id || '';
  }

  clinician(id: string): Clinician | undefined {
    return this.ref.clinician(id);
  }

  locationName(id: string): string {
    return this.ref.locationName(id);
  }

  roomName(id: string): string {
    return this.ref.roomName(id);
  }

  /** Today in the practice's zone. */
  today(): string {
    return todayIn(this.zone);
  }

  async loadSetup(): Promise<void> {
    this.adopt(await api.calendarApi.setup());
    if (!this.date) this.date = this.today();
    if (!this.clinicianId) this.clinicianId = this.clinicians[0]?.id ?? '';
    this.loaded = true;
  }

  /** Keeps the calendar's part of a setup and hands its reference lists to the reference store. */
  adopt(s: CalendarSetup): void {
    const { clinicians, locations, rooms, ...own } = s;
    this.ref.adopt({ clinicians, locations, rooms });
    this.setup = own;
    setPracticeClock(own.clock);
  }

  /**
   * Another computer changed some tables: reloads what is shown of them
   * (appointments in view, the setup, the time-off list) if it was loaded.
   */
  async refresh(tables: readonly string[]): Promise<void> {
    const touched = (names: readonly string[]) => names.some((t) => tables.includes(t));
    await Promise.all([
      this.loaded && touched(SETUP_TABLES) ? this.loadSetup() : null,
      touched(RANGE_TABLES) ? this.reload() : null,
      this.timeOffLoaded && touched(['time_off']) ? this.loadTimeOffAhead() : null,
    ]);
  }

  /** Loads the appointments of [from, from + days); an older answer never overwrites a newer one. */
  async loadRange(from: WallClock, days: number): Promise<void> {
    days = Math.min(days, MAX_RANGE_DAYS);
    const was = this.wanted;
    // The calendar component reports its dates again whenever its options change: only a new range loads.
    if (was && was.days === days && dateKey(was.from) === dateKey(from)) return;
    this.wanted = { from, days };
    await this.reload();
  }

  /**
   * Loads the range again (after a change, or when a filter changes). The
   * new range and its appointments are shown together, so a big week is
   * drawn once rather than shaded first and filled in after.
   */
  async reload(): Promise<void> {
    const mine = ++this.seq;
    // Calls made together make one request, the last: a view change reloads
    // what is shown, and the new view asks for its own range in the same tick.
    await Promise.resolve();
    const shown = this.wanted;
    if (mine !== this.seq || !shown) return;
    this.loading = true;
    try {
      const start = { ...shown.from, hour: 0, minute: 0 };
      const got = await api.calendarApi.range({
        from: instantOf(start, this.zone).toISOString(),
        to: instantOf(addDays(start, shown.days), this.zone).toISOString(),
        clinicianIds: this.view === 'clinician' ? [this.clinicianId] : this.clinicianIds,
        locationId: this.view === 'rooms' ? this.roomLocationId : this.locationId,
        roomId: '',
      });
      if (mine === this.seq) {
        // For the render measurement (e2e/calendar-perf.spec.ts): loaded here, painted later.
        performance.mark(RANGE_LOADED_MARK);
        this.shown = shown;
        this.events = got.events ?? [];
        this.timeOff = got.timeOff ?? [];
      }
    } finally {
      if (mine === this.seq) this.loading = false;
    }
  }

  /** Moves the anchor day by one step of the current view (a day, a week or a month). */
  step(direction: 1 | -1): void {
    const here = parseWall(this.date, '00:00');
    if (!here) return;
    if (this.view === 'month') this.date = dateKey(addMonths(here, direction));
    else this.date = dateKey(addDays(here, (this.view === 'day' || this.view === 'rooms' ? 1 : 7) * direction));
  }

  goToday(): void {
    this.date = this.today();
  }

  appointment(id: string): Promise<AppointmentDetail> {
    return api.calendarApi.appointment(id);
  }

  checkBooking(b: Booking): Promise<Conflict[]> {
    return api.calendarApi.checkBooking(b);
  }

  async book(b: Booking): Promise<BookingResult> {
    const res = await api.calendarApi.book(b);
    await this.reload();
    return res;
  }

  checkMove(m: Move): Promise<Conflict[]> {
    return api.calendarApi.checkMove(m);
  }

  async move(m: Move): Promise<ChangeResult> {
    const res = await api.calendarApi.move(m);
    await this.reload();
    return res;
  }

  async removeBooking(r: Removal): Promise<void> {
    await api.calendarApi.removeBooking(r);
    await this.reload();
  }

  async setStatus(sc: StatusChange): Promise<ChangeResult> {
    const res = await api.calendarApi.setStatus(sc);
    await this.reload();
    return res;
  }

  firstAvailable(q: SlotQuery): Promise<Slot[]> {
    return api.calendarApi.firstAvailable(q);
  }

  exportFeed(clinicianId: string): Promise<string> {
    return api.calendarApi.exportFeed(clinicianId);
  }

  printDay(clinicianId: string, day: string): Promise<string> {
    return api.calendarApi.printDay(clinicianId, day);
  }

  // ---- Setup (Settings → Calendar) ----

  async saveType(t: AppointmentType): Promise<AppointmentType> {
    const saved = await api.calendarApi.saveType(t);
    const types = this.types.filter((x) => x.id !== saved.id);
    this.setup = { ...this.setup, types: [...types, saved] };
    return saved;
  }

  async setHours(clinicianId: string, blocks: WorkingHours[]): Promise<WorkingHours[]> {
    const saved = await api.calendarApi.setHours(clinicianId, blocks);
    this.setup = { ...this.setup, hours: [...this.hours.filter((h) => h.clinicianId !== clinicianId), ...saved] };
    return saved;
  }

  /** Time off and blocked time from today on, for the settings list. */
  async loadTimeOffAhead(days = 180): Promise<void> {
    const from = parseWall(this.today(), '00:00');
    if (!from) return;
    this.timeOffLoaded = true;
    this.timeOffAhead = await api.calendarApi.timeOff({
      from: instantOf(from, this.zone).toISOString(),
      to: instantOf(addDays(from, days), this.zone).toISOString(),
    });
  }

  async saveTimeOff(o: TimeOff): Promise<TimeOff> {
    const saved = await api.calendarApi.saveTimeOff(o);
    this.timeOffAhead = [...this.timeOffAhead.filter((x) => x.id !== saved.id), saved].sort((a, b) =>
      a.start.localeCompare(b.start),
    );
    return saved;
  }

  checkTimeOff(o: TimeOff): Promise<Conflict[]> {
    return api.calendarApi.checkTimeOff(o);
  }

  async deleteTimeOff(id: string): Promise<void> {
    await api.calendarApi.deleteTimeOff(id);
    this.timeOffAhead = this.timeOffAhead.filter((x) => x.id !== id);
  }

  /** The policy was saved in the practice settings: booking and cancelling follow it at once. */
  setPolicy(policy: CalendarPolicy): void {
    this.setup = { ...this.setup, policy };
  }

  /** The clock was saved in the practice settings: every screen writes times with it at once. */
  setClock(clock: string): void {
    this.setup = { ...this.setup, clock };
    setPracticeClock(clock);
  }

  /** The default type was saved in the practice settings: the next booking starts with it. */
  setDefaultType(defaultTypeId: string): void {
    this.setup = { ...this.setup, defaultTypeId };
  }

  reset(): void {
    this.seq++;
    this.bookingFor = null;
    this.timeOffAhead = [];
    this.timeOffLoaded = false;
    this.setup = EMPTY_SETUP;
    this.loaded = false;
    this.view = 'day';
    this.date = '';
    this.locationId = '';
    this.clinicianIds = [];
    this.clinicianId = '';
    this.events = [];
    this.timeOff = [];
    this.loading = false;
    this.shown = null;
    this.wanted = null;
  }
}

export const calendarStore = new CalendarStore();
