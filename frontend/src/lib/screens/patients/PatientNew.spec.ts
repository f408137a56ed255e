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
});
