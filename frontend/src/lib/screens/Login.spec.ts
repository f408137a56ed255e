import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../api';
import { ApiError } from '../api';
import { loggedOut, status } from '../../test/factories';
import { session } from '../stores/session.svelte';
import { toasts } from '../stores/toasts.svelte';
import Login from './Login.svelte';

vi.mock('../api', async (orig) => (await import('../../test/api-mock')).mockApi(await orig<typeof import('../api')>()));

describe('Login', () => {
  beforeEach(() => {
    vi.clearAllMocks();
    toasts.clear();
    session.status = loggedOut();
  });

  it('shows the wrong-password message inline and keeps the username', async () => {
    const user = userEvent.setup();
    vi.mocked(api.session.login).mockRejectedValue(
      new ApiError('wrong_password', 'That username and password do not match.'),
    );
    render(Login, { onrecover: () => undefined });

    await user.type(screen.getByLabelText(/Username/), 'dana');
    await user.type(screen.getByLabelText(/Password/), 'not-the-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));

    expect(await screen.findByRole('alert')).toHaveTextContent('That username and password do not match.');
    expect(screen.getByLabelText(/Username/)).toHaveValue('dana');
    expect(screen.getByLabelText(/Password/)).toHaveValue('');
    expect(screen.getByLabelText(/Password/)).toHaveFocus();
    expect(toasts.items).toEqual([]);
    expect(api.session.login).toHaveBeenCalledWith('dana', 'not-the-password');
  });

  it('signs in', async () => {
    const user = userEvent.setup();
    vi.mocked(api.session.login).mockResolvedValue(status());
    render(Login, { onrecover: () => undefined });
    await user.type(screen.getByLabelText(/Username/), 'dana');
    await user.type(screen.getByLabelText(/Password/), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    await vi.waitFor(() => expect(session.view).toBe('app'));
  });

  it('offers the Recovery Kit', async () => {
    const user = userEvent.setup();
    const onrecover = vi.fn();
    render(Login, { onrecover });
    await user.click(screen.getByRole('button', { name: /Use the Recovery Kit/ }));
    expect(onrecover).toHaveBeenCalled();
  });
});
