import { describe, expect, it } from 'vitest';
import { rejection } from '../../test/factories';
import { ApiError, GENERIC_MESSAGE, toApiError } from './errors';

describe('toApiError', () => {
  it('parses the JSON envelope with fields', () => {
    const err = toApiError(
      rejection('invalid', 'Please correct the highlighted fields.', {
        'identity.firstName': 'Required.',
        'contact.address.zip': 'A ZIP code is 5 or 9 digits.',
      }),
    );
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('invalid');
    expect(err.message).toBe('Please correct the highlighted fields.');
    expect(err.fields['identity.firstName']).toBe('Required.');
    expect(err.hasFields).toBe(true);
    expect(err.fieldsUnder('contact.')).toEqual({ 'address.zip': 'A ZIP code is 5 or 9 digits.' });
  });

  it('parses an envelope without fields', () => {
    const err = toApiError(rejection('wrong_password', 'That password is not right.'));
    expect(err.code).toBe('wrong_password');
    expect(err.hasFields).toBe(false);
    expect(err.fields).toEqual({});
  });

  it('maps unknown codes to internal but keeps the message', () => {
    const err = toApiError(rejection('strange', 'Odd.'));
    expect(err.code).toBe('internal');
    expect(err.message).toBe('Odd.');
  });

  it('never shows a plain string (it may hold a path or SQL)', () => {
    const err = toApiError('open /home/x/quietdesk.db: permission denied');
    expect(err.code).toBe('internal');
    expect(err.message).toBe(GENERIC_MESSAGE);
  });

  it('treats broken JSON as internal', () => {
    expect(toApiError('{"code": ').code).toBe('internal');
  });

  it('accepts an already parsed object and passes ApiErrors through', () => {
    expect(toApiError({ code: 'locked', message: 'Locked.' }).code).toBe('locked');
    const e = new ApiError('busy', 'Busy.');
    expect(toApiError(e)).toBe(e);
    expect(toApiError(new Error('boom')).code).toBe('internal');
    expect(toApiError(undefined).message).toBe(GENERIC_MESSAGE);
  });

  it('ignores non-string field messages', () => {
    const err = toApiError(JSON.stringify({ code: 'invalid', message: 'x', fields: { a: 'ok', b: 3 } }));
    expect(err.fields).toEqual({ a: 'ok' });
  });
});
