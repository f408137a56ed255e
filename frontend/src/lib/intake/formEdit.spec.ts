import { describe, expect, it } from 'vitest';
import { intakeForm } from '../../test/factories';
import { newQuestion, toDraft, toEdit } from './formEdit';

const form = intakeForm({
  id: 'consent-treatment',
  version: 3,
  kind: 'consent',
  title: { en: 'Consent', es: 'Consentimiento' },
  body: { en: 'Text.', es: 'Texto.' },
  questions: [
    { id: 'name', kind: 'short', text: { en: 'Name', es: 'Nombre' }, required: true },
    {
      id: 'p2',
      kind: 'single',
      practice: true,
      required: false,
      text: { en: 'Time', es: 'Horario' },
      options: [
        { value: 'o1', label: { en: 'Morning', es: 'Mañana' } },
        { value: 'o2', label: { en: 'Evening', es: 'Tarde' } },
      ],
    },
  ],
});

describe('the form editor draft', () => {
  it('holds only the practice questions, with answers as lines', () => {
    const d = toDraft(form);
    expect(d.baseVersion).toBe(3);
    expect(d.questions).toHaveLength(1);
    expect(d.questions[0].answersEN).toBe('Morning\nEvening');
    expect(d.questions[0].answersES).toBe('Mañana\nTarde');
  });

  it('keeps a kept answer’s value and leaves a new one to the backend', () => {
    const d = toDraft(form);
    d.questions[0].answersEN = 'Morning\n  Evening \n\nWeekend';
    d.questions[0].answersES = 'Mañana\nTarde\nFin de semana';
    d.questions.push({ ...newQuestion(), kind: 'date', text: { en: 'Last visit', es: 'Última visita' } });
    const { edit, problems } = toEdit(d);
    expect(problems).toEqual({});
    expect(edit.questions[0].options).toEqual([
      { value: 'o1', label: { en: 'Morning', es: 'Mañana' } },
      { value: 'o2', label: { en: 'Evening', es: 'Tarde' } },
      { value: '', label: { en: 'Weekend', es: 'Fin de semana' } },
    ]);
    expect(edit.questions[1]).toEqual({
      id: '',
      kind: 'date',
      text: { en: 'Last visit', es: 'Última visita' },
      required: false,
      options: undefined,
    });
  });

  it('names a choice whose languages do not match line for line', () => {
    const d = toDraft(form);
    d.questions[0].answersES = 'Mañana';
    expect(toEdit(d).problems).toEqual({
      'questions.1.options': 'Give each answer in English and in Spanish, line for line: 2 in English, 1 in Spanish.',
    });
  });
});
