import { render, screen } from '@testing-library/svelte';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { Visit } from '../../api';
import { intakeForm } from '../../../test/factories';
import Kiosk from './Kiosk.svelte';

const visit: Visit = {
  submissionId: 'sub-1',
  patientId: 'pat-1',
  appointmentId: '',
  packetId: 'packet-1',
  firstName: 'Avery',
  signers: [],
  hashes: {},
  forms: [
    intakeForm({
      title: { en: 'About your last visit', es: 'Sobre su última visita' },
      questions: [
        {
          id: 'last-visit',
          kind: 'date',
          text: { en: 'When did you last see a doctor?', es: '¿Cuándo?' },
          required: false,
        },
      ],
    }),
  ],
};

function renderKiosk() {
  render(Kiosk, { visit, submit: () => new Promise(() => undefined), onend: () => undefined });
}

describe('Kiosk date questions', () => {
  it('asks for the whole date when part of one is typed', async () => {
    const user = userEvent.setup();
    renderKiosk();
    await user.click(screen.getByRole('button', { name: 'English' }));
    await user.type(screen.getByLabelText(/When did you last see a doctor/), '023');
    await user.click(screen.getByRole('button', { name: 'Next' }));
    expect(
      await screen.findByText('This date is not complete. Please type the whole date, or clear it.'),
    ).toBeVisible();
  });

  it('says a whole date that does not exist is no date, in the patient’s language', async () => {
    const user = userEvent.setup();
    renderKiosk();
    await user.click(screen.getByRole('button', { name: 'Español' }));
    await user.type(screen.getByLabelText(/Cuándo/), '02302001');
    await user.click(screen.getByRole('button', { name: 'Siguiente' }));
    expect(await screen.findByText('Esa fecha no existe. Revise el día y el mes.')).toBeVisible();
    expect(screen.queryByText(/no está completa/)).toBeNull();
  });
});
