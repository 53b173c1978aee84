import { isLang } from './i18n.ts';
import { rememberLang } from './lang-choice.ts';

// Every page remembers the language it is shown in, so `/` and the next visit follow it.
const lang = document.documentElement.lang;
if (isLang(lang)) rememberLang(lang);
for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-lang-link]')) {
  link.addEventListener('click', () => {
    const chosen = link.dataset.langLink;
    if (isLang(chosen)) rememberLang(chosen);
  });
}
