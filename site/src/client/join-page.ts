import type { JoinResponse } from '#contracts/workshop.ts';
import { type Lang, pageLang } from './i18n.ts';
import { joinError } from './join-errors.ts';
import { wt } from './workshop-i18n.ts';
import { loadMembership, rememberJoin } from './workshop-membership.ts';

// The join form: POST /api/workshops/join, remember the session for the workshop's lessons,
// then open the first lesson. A learner who joined before re-joins as themselves.
const lang: Lang = pageLang();
const form = document.querySelector<HTMLFormElement>('[data-join-form]')!;
const error = form.querySelector<HTMLElement>('[data-join-error]')!;
const submit = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
const codeInput = form.elements.namedItem('code') as HTMLInputElement;
const nameInput = form.elements.namedItem('name') as HTMLInputElement;

const params = new URLSearchParams(location.search);
codeInput.value = params.get('code') ?? '';
const earlier = loadMembership(localStorage);
if (earlier && (!codeInput.value || earlier.code === codeInput.value.toUpperCase())) {
  nameInput.value = earlier.name;
}
(codeInput.value ? nameInput : codeInput).focus();

function showError(text: string, field?: HTMLInputElement): void {
  error.textContent = text;
  error.hidden = false;
  if (field) {
    field.setAttribute('aria-invalid', 'true');
    field.focus();
  }
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  error.hidden = true;
  for (const input of [codeInput, nameInput]) input.removeAttribute('aria-invalid');
  const code = codeInput.value.trim().toUpperCase();
  const name = nameInput.value.trim();
  if (!code) return showError(wt(lang, 'join.error.unknown_code'), codeInput);
  if (!name) return showError(wt(lang, 'join.name'), nameInput);
  submit.disabled = true;
  submit.textContent = wt(lang, 'join.joining');
  try {
    const again = loadMembership(localStorage);
    const res = await fetch('/api/workshops/join', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        code,
        name,
        lang,
        ...(again && again.code === code && again.name === name
          ? { learner: again.learner, ...(again.secret ? { secret: again.secret } : {}) }
          : {}),
      }),
    });
    const body = (await res.json()) as JoinResponse & { error?: { code: string; message: string } };
    if (!res.ok) {
      const { text, field } = joinError(lang, body.error, res.statusText);
      showError(text, field === 'name' ? nameInput : codeInput);
      return;
    }
    rememberJoin(localStorage, body, code);
    location.assign(`/${lang}/lessons/${body.lesson}/`);
  } catch (failure) {
    showError(wt(lang, 'join.error.other', { message: (failure as Error).message }));
  } finally {
    submit.disabled = false;
    submit.textContent = wt(lang, 'join.submit');
  }
});
