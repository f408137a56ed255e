// Prior authorizations, EAP benefits and visit limits (app/authorizations.go).

import * as AuthFn from '../../../wailsjs/go/app/Authorizations';
import { app, authorizations, practice } from '../../../wailsjs/go/models';
import { call, list, toGo } from './call';
import type { AttachedFile } from './shared.types';
import type {
  Authorization,
  AuthorizationFilter,
  AuthorizationRow,
  AuthorizationView,
  BookingLine,
  BookingQuery,
  PayerAuthRules,
} from './authorizations.types';

export const authorizationsApi = {
  list: async (patientId: string): Promise<AuthorizationView[]> =>
    list<AuthorizationView>(await call(() => AuthFn.List(patientId))),
  save: (a: Authorization): Promise<AuthorizationView> => call(() => AuthFn.Save(toGo(practice.Authorization, a))),
  renew: (id: string): Promise<Authorization> => call(() => AuthFn.Renew(id)),
  overview: async (f: AuthorizationFilter): Promise<AuthorizationRow[]> =>
    list<AuthorizationRow>(await call(() => AuthFn.Overview(toGo(authorizations.Filter, f)))),
  forBooking: (q: BookingQuery): Promise<BookingLine> => call(() => AuthFn.ForBooking(toGo(app.BookingQuery, q))),
  payerRules: (payerId: string): Promise<PayerAuthRules> => call(() => AuthFn.PayerRules(payerId)),
  savePayerRules: (r: PayerAuthRules): Promise<PayerAuthRules> =>
    call(() => AuthFn.SavePayerRules(toGo(practice.PayerAuthRules, r))),
  attachLetter: (authorizationId: string, name: string, base64: string): Promise<AttachedFile> =>
    call(() => AuthFn.AttachLetter(authorizationId, name, base64)),
  letters: async (authorizationId: string): Promise<AttachedFile[]> =>
    list<AttachedFile>(await call(() => AuthFn.Letters(authorizationId))),
  /** Saves a copy where the person chooses; '' when they cancelled. */
  saveLetter: (authorizationId: string, documentId: string): Promise<string> =>
    call(() => AuthFn.SaveLetter(authorizationId, documentId)),
};
