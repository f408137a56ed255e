// Bound Go methods reject with a string. When the string is JSON it is the
// practice.Error envelope {code, message, fields?}; anything else is treated
// as an internal error whose text is not shown (it may hold a path or SQL).

export type ErrorCode =
  | 'invalid'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'locked'
  | 'wrong_password'
  | 'busy'
  | 'damaged'
  | 'unavailable'
  | 'internal';

const CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'invalid',
  'not_found',
  'conflict',
  'unauthorized',
  'forbidden',
  'locked',
  'wrong_password',
  'busy',
  'damaged',
  'unavailable',
  'internal',
]);

// The same text as practice.GenericMessage: whether anything changed is
// unknown, so it does not say.
export const GENERIC_MESSAGE =
  'Something went wrong; the details are in the log. Please try again, and contact support if it happens again.';

/** Field problems keyed by dotted path, e.g. "identity.firstName". */
export type FieldErrors = Record<string, string>;

export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly fields: FieldErrors;

  constructor(code: ErrorCode, message: string, fields: FieldErrors = {}) {
    super(message);
    this.name = 'ApiError';
    this.code = code;
    this.fields = fields;
  }

  get hasFields(): boolean {
    return Object.keys(this.fields).length > 0;
  }

  /** Field problems under a prefix, with the prefix removed ("contact." → {"phone": …}). */
  fieldsUnder(prefix: string): FieldErrors {
    const out: FieldErrors = {};
    for (const [k, v] of Object.entries(this.fields)) {
      if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
    }
    return out;
  }
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fromEnvelope(v: unknown): ApiError | null {
  if (!isRecord(v) || typeof v.code !== 'string') return null;
  const code: ErrorCode = CODES.has(v.code) ? (v.code as ErrorCode) : 'internal';
  const message = typeof v.message === 'string' && v.message !== '' ? v.message : GENERIC_MESSAGE;
  const fields: FieldErrors = {};
  if (isRecord(v.fields)) {
    for (const [k, msg] of Object.entries(v.fields)) {
      if (typeof msg === 'string') fields[k] = msg;
    }
  }
  return new ApiError(code, message, fields);
}

/** Turns whatever a binding rejected with into an ApiError. */
export function toApiError(reason: unknown): ApiError {
  if (reason instanceof ApiError) return reason;
  if (typeof reason === 'string') {
    const s = reason.trim();
    if (s.startsWith('{')) {
      try {
        const parsed = fromEnvelope(JSON.parse(s));
        if (parsed) return parsed;
      } catch {
        // fall through: not JSON after all
      }
    }
    return new ApiError('internal', GENERIC_MESSAGE);
  }
  const env = fromEnvelope(reason);
  if (env) return env;
  return new ApiError('internal', GENERIC_MESSAGE);
}
