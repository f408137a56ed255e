// The api layer: the only code that touches the generated Wails bindings.
// One module per area (its calls) with its types beside it (<area>.types.ts);
// every call goes through call.ts, which turns a rejection into an ApiError.
// Screens and stores import from here; a new area adds its two lines below.

export { ApiError, toApiError } from './errors';
export type { ErrorCode, FieldErrors } from './errors';
export { onApiError } from './call';

export { alertsApi } from './alerts';
export { audit } from './audit';
export { authorizationsApi } from './authorizations';
export { backups } from './backups';
export { billingApi } from './billing';
export { calendarApi } from './calendar';
export { credentialingApi } from './credentialing';
export { intakeApi } from './intake';
export { mailApi } from './mail';
export { patients } from './patients';
export { practiceApi } from './practice';
export { onSessionLocked, session, SESSION_LOCKED_EVENT } from './session';
export { staff } from './staff';
export { tabletApi } from './tablet';
export type { TabletStatus } from './tablet';

export type * from './alerts.types';
export type * from './audit.types';
export type * from './authorizations.types';
export type * from './backups.types';
export type * from './billing.types';
export type * from './calendar.types';
export type * from './credentialing.types';
export type * from './intake.types';
export type * from './mail.types';
export type * from './patients.types';
export type * from './practice.types';
export * from './session.types';
export type * from './shared.types';
export type * from './staff.types';
