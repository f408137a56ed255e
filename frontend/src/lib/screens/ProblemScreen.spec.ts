import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import * as api from '../api';
import { ApiError } from '../api';
import { loggedOut } from '../../test/factories';
import { session } from '../stores/session.svelte';
import ProblemScreen from './ProblemScreen.svelte';

vi.mock('../api', async (orig) => (await import('../../test/api-mock')).mockApi(await orig<typeof import('../api')>()));

const damaged = 'The practice database cannot be read. Restore a backup.';

describe('ProblemScreen', () => {
  beforeEach(() => vi.clearAllMocks());

  it('offers to restore a backup over a database that cannot be read, then to close', async () => {
    const user = userEvent.setup();
    session.status = loggedOut({ problem: damaged, problemCode: 'damaged' });
    vi.mocked(api.backups.restoreDamaged).mockResolvedValue({
      restored: true,
      message: 'The backup was restored. Close Quietdesk and open it again to sign in.',
    });
    render(ProblemScreen, { onretry: () => undefined });

    expect(screen.getByText(damaged)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Restore a backup…' }));
    expect(await screen.findByText(/The backup was restored/)).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Close Quietdesk' }));
    expect(api.backups.quit).toHaveBeenCalled();
  });

  it('shows why a chosen file was refused, and stays', async () => {
    const user = userEvent.setup();
    session.status = loggedOut({ problem: damaged, problemCode: 'damaged' });
    vi.mocked(api.backups.restoreDamaged).mockRejectedValue(
      new ApiError('invalid', 'photo.qdbackup is not a Quietdesk backup. Nothing was changed.'),
    );
    render(ProblemScreen, { onretry: () => undefined });

    await user.click(screen.getByRole('button', { name: 'Restore a backup…' }));
    expect(
      await screen.findByText('photo.qdbackup is not a Quietdesk backup. Nothing was changed.'),
    ).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Restore a backup…' })).toBeEnabled();
  });

  it('offers only to try again when the folder is busy, not damaged', () => {
    session.status = loggedOut({ problem: 'Quietdesk is already open on this computer.', problemCode: 'conflict' });
    render(ProblemScreen, { onretry: () => undefined });
    expect(screen.queryByRole('button', { name: 'Restore a backup…' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
