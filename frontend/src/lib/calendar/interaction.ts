// What the calendar grid and the move dialog hand to the schedule screen.

import type { Move } from '../api';

/** A slot chosen by clicking or dragging on empty time. */
export interface SlotPick {
  start: Date;
  /** null after a plain click: the type's duration applies. */
  end: Date | null;
  /** The clinician (or room, in the room view) column picked, if any. */
  resourceId: string;
}

/** A drag or resize the user made; revert puts the appointment back. */
export interface DragChange {
  id: string;
  start: Date;
  end: Date;
  /** The column it was dropped in when that changed, else "". */
  newResourceId: string;
  revert: () => void;
}

/** An appointment's proposed new time and place, from a drag or the Reschedule form. */
export interface MoveRequest {
  move: Move;
  seriesId: string;
  /** Set when the request came from a drag: the calendar already shows the new time. */
  fromDrag: boolean;
}

/** What the schedule hands each of its views: the time grid and the practice-wide week. */
export interface ScheduleViewProps {
  canBook: boolean;
  canMove: boolean;
  onpick: (p: SlotPick) => void;
  onopen: (id: string) => void;
  ondrag: (c: DragChange) => void;
}
