import { isLang, langOfTag } from './i18n.ts';
import { rememberLang } from './lang-choice.ts';

// Every page remembers the language it is shown in, so `/` and the next visit follow it.
const lang = langOfTag(document.documentElement.lang);
if (lang) rememberLang(lang);
for (const link of document.querySelectorAll<HTMLAnchorElement>('[data-lang-link]')) {
  link.addEventListener('click', () => {
    const chosen = link.dataset.langLink;
    if (isLang(chosen)) rememberLang(chosen);
  });
}
