// The patient's side of intake, without the screen: which screens a visit
// has, what is still missing on one, and the submission it becomes. Kept
// apart from Kiosk.svelte so it is tested on its own.

import { ZERO_TIME } from '../../calendar/zone';
import type { Form, FormResponse, Language, Signature, SignerName, Submission, Visit } from '../../api';

/** Plain words for the kiosk, in both languages. */
export const WORDS = {
  en: {
    welcome: 'Welcome',
    chooseLanguage: 'Choose your language',
    step: (n: number, of: number) => `Step ${n} of ${of}`,
    back: 'Back',
    next: 'Next',
    submit: 'Send my answers',
    sending: 'Sending…',
    required: 'Please answer this question.',
    partialDate: 'This date is not complete. Please type the whole date, or clear it.',
    impossibleDate: 'There is no such date. Please check the day and the month.',
    yes: 'Yes',
    no: 'No',
    skip: 'Skip this form',
    signHere: (who: string) => `Signature of ${who}`,
    signHint: 'Draw your signature in the box with your finger or a mouse.',
    typedName: 'Your full name',
    clear: 'Clear',
    useTyped: 'Sign with my typed name instead',
    mustSign: 'Please sign in the box.',
    signed: 'Signed ✓',
    notSigned: 'Not signed yet',
    textSize: 'Text size',
    smaller: 'Smaller text',
    larger: 'Larger text',
    thanks: 'Thank you. Your answers are with our team.',
    someoneWillCome: 'Thank you. Someone from our team will be with you in a moment.',
    crisis:
      'If you are in crisis or thinking about hurting yourself, you can call or text 988, the Suicide & Crisis Lifeline, at any time, day or night.',
    handBack: 'Please hand the tablet back to the front desk.',
    done: 'Done',
    review: 'Check your answers, then send them.',
    checkinHint: 'Type the check-in code from your appointment reminder and your date of birth.',
    code: 'Check-in code',
    dob: 'Date of birth',
    start: 'Start',
    staff: 'Staff only',
  },
  es: {
    welcome: 'Bienvenido',
    chooseLanguage: 'Elija su idioma',
    step: (n: number, of: number) => `Paso ${n} de ${of}`,
    back: 'Atrás',
    next: 'Siguiente',
    submit: 'Enviar mis respuestas',
    sending: 'Enviando…',
    required: 'Por favor conteste esta pregunta.',
    partialDate: 'Esta fecha no está completa. Escriba la fecha entera, o bórrela.',
    impossibleDate: 'Esa fecha no existe. Revise el día y el mes.',
    yes: 'Sí',
    no: 'No',
    skip: 'Omitir este formulario',
    signHere: (who: string) => `Firma de ${who}`,
    signHint: 'Dibuje su firma en el recuadro con el dedo o con el ratón.',
    typedName: 'Su nombre completo',
    clear: 'Borrar',
    useTyped: 'Firmar con mi nombre escrito',
    mustSign: 'Por favor firme en el recuadro.',
    signed: 'Firmado ✓',
    notSigned: 'Todavía sin firmar',
    textSize: 'Tamaño del texto',
    smaller: 'Texto más pequeño',
    larger: 'Texto más grande',
    thanks: 'Gracias. Sus respuestas ya están con nuestro equipo.',
    someoneWillCome: 'Gracias. Alguien de nuestro equipo estará con usted en un momento.',
    crisis:
      'Si está en crisis o piensa en hacerse daño, puede llamar o enviar un mensaje de texto al 988, la Línea de Prevención del Suicidio y Crisis, a cualquier hora del día o de la noche.',
    handBack: 'Por favor devuelva la tableta a la recepción.',
    done: 'Listo',
    review: 'Revise sus respuestas y luego envíelas.',
    checkinHint: 'Escriba el código de registro de su recordatorio de cita y su fecha de nacimiento.',
    code: 'Código de registro',
    dob: 'Fecha de nacimiento',
    start: 'Empezar',
    staff: 'Solo personal',
  },
} as const;

export type Words = (typeof WORDS)[Language];

/** Who a signer is, in the patient's words. */
export function signerLabel(s: SignerName, lang: Language): string {
  const roles = {
    en: { patient: 'the patient', guardian: 'the parent or guardian', partner: 'the partner' },
    es: { patient: 'el paciente', guardian: 'el padre, la madre o el tutor', partner: 'la pareja' },
  };
  const who = roles[lang][s.role];
  return s.name ? `${s.name} (${who})` : who;
}

/** A drawn signature as the kiosk holds it until submitting. */
export interface Drawn {
  name: string;
  /** PNG, base64, "" until signed. */
  image: string;
}

/** Everything typed in one visit: cleared from memory when the visit ends. */
export interface Answers {
  values: Record<string, Record<string, string[]>>;
  skipped: Record<string, boolean>;
  signatures: Record<string, Drawn[]>;
}

/** Nothing typed yet for visit v (nothing at all while a check-in code is awaited). */
export function emptyAnswers(v: Visit | null): Answers {
  const a: Answers = { values: {}, skipped: {}, signatures: {} };
  if (!v) return a;
  for (const f of v.forms) {
    a.values[f.id] = {};
    if (f.kind === 'consent') a.signatures[f.id] = v.signers.map((s) => ({ name: s.name, image: '' }));
  }
  return a;
}

/** What is missing on one form's screen: question id (or "signature-N") → message. */
export function missing(form: Form, a: Answers, words: Words): Record<string, string> {
  const out: Record<string, string> = {};
  if (a.skipped[form.id]) return out;
  for (const q of form.questions) {
    const v = a.values[form.id]?.[q.id] ?? [];
    if (q.required && v.every((x) => x.trim() === '')) out[q.id] = words.required;
  }
  (a.signatures[form.id] ?? []).forEach((s, i) => {
    if (!s.image) out[`signature-${i}`] = words.mustSign;
    else if (!s.name.trim()) out[`signature-${i}-name`] = words.required;
  });
  return out;
}

/** The submission a finished visit becomes. */
export function toSubmission(v: Visit, lang: Language, a: Answers, now: string): Submission {
  const forms: FormResponse[] = v.forms.map((f) => {
    const answers: Record<string, string[]> = {};
    for (const [id, values] of Object.entries(a.values[f.id] ?? {})) {
      const kept = values.filter((x) => x.trim() !== '');
      if (kept.length > 0) answers[id] = kept;
    }
    const r: FormResponse = { formId: f.id, version: f.version, textHash: v.hashes[f.id][lang], answers };
    if (a.skipped[f.id]) return { ...r, answers: {}, skipped: true };
    if (f.kind === 'consent') {
      r.signatures = v.signers.map((s, i): Signature => ({
        role: s.role,
        index: s.index,
        name: a.signatures[f.id][i].name.trim(),
        image: a.signatures[f.id][i].image,
        signedAt: now,
      }));
    }
    return r;
  });
  return {
    id: v.submissionId,
    patientId: v.patientId,
    appointmentId: v.appointmentId,
    packetId: v.packetId,
    language: lang,
    submittedAt: now,
    forms,
    scores: [],
    status: 'needs-review',
    // Go's zero time, not '': an empty string is no time, and the office
    // computer refused the whole submission for it (the patient was left
    // at "Sending…").
    review: { flagAckBy: '', flagAckAt: ZERO_TIME, reviewedBy: '', reviewedAt: ZERO_TIME },
  };
}

/** Forgets everything typed: the kiosk calls it when a visit ends or times out. */
export function wipe(a: Answers): void {
  for (const f of Object.keys(a.values)) {
    for (const q of Object.keys(a.values[f])) a.values[f][q] = [];
  }
  for (const f of Object.keys(a.signatures)) {
    for (const s of a.signatures[f]) {
      s.name = '';
      s.image = '';
    }
  }
}
