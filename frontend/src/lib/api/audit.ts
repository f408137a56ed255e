// The audit log: who opened or changed what (app/audit.go).

import * as AuditFn from '../../../wailsjs/go/app/Audit';
import { app } from '../../../wailsjs/go/models';
import { call, list, toGo } from './call';
import type { AuditCheck, AuditFilter, AuditRow } from './audit.types';

export const audit = {
  query: async (f: AuditFilter): Promise<AuditRow[]> =>
    list<AuditRow>(await call(() => AuditFn.Query(toGo(app.AuditFilter, f)))),
  /** Returns the saved CSV's path, or "" when the user cancelled. */
  export: (f: AuditFilter): Promise<string> => call(() => AuditFn.Export(toGo(app.AuditFilter, f))),
  verify: (): Promise<AuditCheck> => call(() => AuditFn.Verify()),
};
