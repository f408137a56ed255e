// E-mail: the practice's relay and its test send, reminder settings with a
// live preview, who sends, and the outbox (app/mail.go).

import * as MailFn from '../../../wailsjs/go/app/Mail';
import { mail, notify } from '../../../wailsjs/go/models';
import { call, list, toGo } from './call';
import type {
  Decision,
  MailSettings,
  MailStatus,
  OutboxRow,
  Relay,
  ReminderPreview,
  ReminderSettings,
  Template,
} from './mail.types';

export const mailApi = {
  settings: (): Promise<MailSettings> => call(() => MailFn.Settings()),
  saveRelay: (r: Relay): Promise<void> => call(() => MailFn.SaveRelay(toGo(mail.Relay, r))),
  /** Resolves with what the relay said; rejects with the failing step (DNS, TLS, AUTH, sender…). */
  testRelay: (r: Relay, to: string): Promise<string> => call(() => MailFn.TestRelay(toGo(mail.Relay, r), to)),
  saveReminders: (s: ReminderSettings): Promise<void> =>
    call(() => MailFn.SaveReminders(toGo(notify.ReminderSettings, s))),
  preview: (t: Template, lang: string): Promise<ReminderPreview> =>
    call(() => MailFn.Preview(toGo(notify.Template, t), lang)),
  setSender: (deviceId: string): Promise<void> => call(() => MailFn.SetSender(deviceId)),
  status: (): Promise<MailStatus> => call(() => MailFn.Status()),
  outbox: async (): Promise<OutboxRow[]> => list<OutboxRow>(await call(() => MailFn.Outbox())),
  decide: (id: string, choice: Decision): Promise<void> => call(() => MailFn.Decide(id, choice)),
};
