// Plain data shapes of the bound Go structs for e-mail (app/mail.go,
// internal/mail, internal/notify, internal/store/outbox.go).

export type Security = 'starttls' | 'tls';

export interface Relay {
  host: string;
  port: number;
  security: string;
  username: string;
  /** Never sent back by the window's Settings call; empty keeps the saved one. */
  password: string;
  from: string;
  replyTo: string;
  /** PEM of a relay's own certificate (an office NAS); empty: public authorities. */
  certificate: string;
}

export interface Template {
  subject: string;
  body: string;
}

export interface ReminderSettings {
  enabled: boolean;
  /** Minutes before the start, e.g. 2880 and 120. */
  leads: number[] | null;
  quietStart: string;
  quietEnd: string;
  templates: Record<string, Template>;
}

export interface MailAgent {
  id: string;
  name: string;
  hub: boolean;
  unlocked: boolean;
  seenAt: string;
}

export type SenderState = 'none' | 'ready' | 'locked' | 'unreachable';

export interface MailStatus {
  state: string;
  senderId: string;
  senderName: string;
  thisIsIt: boolean;
  relaySet: boolean;
  waiting: number;
  needDecision: number;
  lastSeen: string;
  machines: MailAgent[] | null;
}

export interface MailSettings {
  relay: Relay;
  passwordSet: boolean;
  reminders: ReminderSettings;
  status: MailStatus;
  thisDevice: string;
}

export interface ReminderPreview {
  subject: string;
  text: string;
  html: string;
  problem: string;
}

export type OutboxState = 'queued' | 'sending' | 'sent' | 'failed' | 'unknown' | 'withdrawn';

export interface OutboxRow {
  id: string;
  purpose: string;
  subjectId: string;
  dueAt: string;
  state: string;
  sendAfter: string;
  attempts: number;
  error: string;
  device: string;
  changedAt: string;
  to: string;
}

export type Decision = 'resend' | 'sent' | 'drop';
