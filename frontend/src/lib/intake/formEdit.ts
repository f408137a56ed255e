// The owner's editor of an intake form works on a draft: the practice's
// questions with each choice question's answers as lines of text, one
// list per language, turned back into a FormEdit to save.

import type { Form, FormEdit, Localized, Option, Question, QuestionKind } from '../api';

export interface QuestionDraft {
  /** "" for a question not saved yet. */
  id: string;
  kind: QuestionKind;
  text: Localized;
  required: boolean;
  /** A choice question's answers, one per line, in each language. */
  answersEN: string;
  answersES: string;
  /** The saved answers' values, by line, so a kept answer keeps its value. */
  values: string[];
}

export interface FormDraft {
  formId: string;
  baseVersion: number;
  title: Localized;
  body: Localized;
  questions: QuestionDraft[];
}

export const KIND_LABELS: Record<QuestionKind, string> = {
  short: 'Short answer',
  long: 'Paragraph',
  yesno: 'Yes or no',
  single: 'One choice',
  multi: 'Several choices',
  date: 'Date',
};

export const isChoice = (k: QuestionKind): boolean => k === 'single' || k === 'multi';

export function toDraft(f: Form): FormDraft {
  return {
    formId: f.id,
    baseVersion: f.version,
    title: { ...f.title },
    body: { ...f.body },
    questions: f.questions.filter((q) => q.practice).map(questionDraft),
  };
}

function questionDraft(q: Question): QuestionDraft {
  const opts = q.options ?? [];
  return {
    id: q.id,
    kind: q.kind,
    text: { ...q.text },
    required: q.required,
    answersEN: opts.map((o) => o.label.en).join('\n'),
    answersES: opts.map((o) => o.label.es).join('\n'),
    values: opts.map((o) => o.value),
  };
}

export function newQuestion(): QuestionDraft {
  return { id: '', kind: 'short', text: { en: '', es: '' }, required: false, answersEN: '', answersES: '', values: [] };
}

const lines = (s: string): string[] =>
  s
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);

/**
 * The edit to save, or the problems found before asking (a choice's answers
 * not given line for line in both languages), keyed as the backend keys them.
 */
export function toEdit(d: FormDraft): { edit: FormEdit; problems: Record<string, string> } {
  const problems: Record<string, string> = {};
  const questions = d.questions.map((q, i): Question => {
    let options: Option[] | undefined;
    if (isChoice(q.kind)) {
      const en = lines(q.answersEN);
      const es = lines(q.answersES);
      if (en.length !== es.length) {
        problems[`questions.${i + 1}.options`] =
          `Give each answer in English and in Spanish, line for line: ${en.length} in English, ${es.length} in Spanish.`;
      }
      options = en.map((label, j) => ({ value: q.values[j] ?? '', label: { en: label, es: es[j] ?? '' } }));
    }
    return { id: q.id, kind: q.kind, text: q.text, required: q.required, options };
  });
  return {
    edit: { formId: d.formId, baseVersion: d.baseVersion, title: d.title, body: d.body, questions },
    problems,
  };
}
