import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../../api';
import { ApiError } from '../../api';
import { patient, record, status } from '../../../test/factories';
import { router } from '../../stores/router.svelte';
import { session } from '../../stores/session.svelte';
import { toasts } from '../../stores/toasts.svelte';
import PatientNew from './PatientNew.svelte';

vi.mock('../../api', async (orig) =>
  (await import('../../../test/api-mock')).mockApi(await orig<typeof import('../../api')>()),
);

describe('PatientNew', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    toasts.clear();
    session.status = status();
  });

  it('shows per-field errors next to their inputs', async () => {
    const user = userEvent.setup();
    vi.mocked(api.patients.create).mockRejectedValue(
      new ApiError('invalid', 'Please correct the highlighted fields.', {
        'identity.lastName': 'Add the last name.',
        'contact.address.zip': 'A ZIP code is 5 or 9 digits.',
      }),
    );
    render(PatientNew);
    await user.type(screen.getByLabelText(/^First name/), 'Avery');
    await user.type(screen.getByLabelText(/ZIP code/), '123');
    await user.click(screen.getByRole('button', { name: 'Save patient' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('Please correct the highlighted fields.');
    const last = screen.getByLabelText(/^Last name/);
    expect(last).toHaveAttribute('aria-invalid', 'true');
    expect(last).toHaveAccessibleDescription('Add the last name.');
    const zip = screen.getByLabelText(/ZIP code/);
    expect(zip).toHaveAttribute('aria-invalid', 'true');
    expect(zip).toHaveAccessibleDescription('A ZIP code is 5 or 9 digits.');
    expect(screen.getByLabelText(/^First name/)).not.toHaveAttribute('aria-invalid');
    expect(toasts.items).toEqual([]);

    const sent = vi.mocked(api.patients.create).mock.calls[0][0];
    expect(sent.identity.firstName).toBe('Avery');
    expect(sent.contact.address.zip).toBe('123');
  });

  it('opens the new patient after saving', async () => {
    const user = userEvent.setup();
    const p = patient({ id: 'pat-new' });
    vi.mocked(api.patients.create).mockResolvedValue(record(p));
    render(PatientNew);
    await user.type(screen.getByLabelText(/^First name/), 'Avery');
    await user.click(screen.getByRole('button', { name: 'Save patient' }));
    await vi.waitFor(() => expect(router.path).toBe('/patients/pat-new'));
  });

  it('takes a date of birth typed as digits, and sends it as YYYY-MM-DD', async () => {
    const user = userEvent.setup();
    vi.mocked(api.patients.create).mockResolvedValue(record(patient({ id: 'pat-dob' })));
    render(PatientNew);
    await user.type(screen.getByLabelText(/^First name/), 'Avery');
    const dob = screen.getByLabelText(/^Date of birth/);
    expect(dob).toHaveAttribute('placeholder', 'MM/DD/YYYY');
    expect(dob).toHaveAccessibleDescription('Digits: month, day, four-digit year');
    await user.type(dob, '4121988');
    expect(dob).toHaveValue('04/12/1988');
    await user.click(screen.getByRole('button', { name: 'Save patient' }));
    await vi.waitFor(() => expect(api.patients.create).toHaveBeenCalled());
    expect(vi.mocked(api.patients.create).mock.calls[0][0].identity.dob).toBe('1988-04-12');
  });

  it('says an impossible date plainly, and keeps half a date from being saved', async () => {
    const user = userEvent.setup();
    render(PatientNew);
    const dob = screen.getByLabelText(/^Date of birth/);
    await user.type(dob, '02302001');
    expect(dob).toHaveAttribute('aria-invalid', 'true');
    expect(dob).toHaveAccessibleDescription(/There is no 30 February 2001\./);

    await user.clear(dob);
    await user.type(dob, '0230');
    expect(dob).toHaveValue('02/30/');
    await user.click(screen.getByRole('button', { name: 'Save patient' }));
    expect(dob).toHaveAccessibleDescription(/Type the whole date: MM\/DD\/YYYY\./);
    expect(dob).toHaveFocus();
    expect(api.patients.create).not.toHaveBeenCalled();
  });

  it('reads a pasted date in either order', async () => {
    const user = userEvent.setup();
    render(PatientNew);
    const dob = screen.getByLabelText(/^Date of birth/);
    await user.click(dob);
    await user.paste('2026-03-09');
    expect(dob).toHaveValue('03/09/2026');
    await user.clear(dob);
    await user.paste('3/9/2026');
    expect(dob).toHaveValue('03/09/2026');
  });

  it("drops the save's refusal of a date once it is typed again", async () => {
    const user = userEvent.setup();
    vi.mocked(api.patients.create).mockRejectedValue(
      new ApiError('invalid', 'Please correct the highlighted fields.', {
        'identity.dob': 'This date is in the future.',
      }),
    );
    render(PatientNew);
    const dob = screen.getByLabelText(/^Date of birth/);
    await user.type(dob, '01012099');
    await user.click(screen.getByRole('button', { name: 'Save patient' }));
    await vi.waitFor(() => expect(dob).toHaveAccessibleDescription(/This date is in the future\./));
    await user.type(dob, '{Backspace}8');
    expect(dob).toHaveValue('01/01/2098');
    expect(dob).not.toHaveAttribute('aria-invalid');
  });
});
