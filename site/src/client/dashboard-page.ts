import type { DashboardLearner, DashboardSnapshot, WorkshopView } from '#contracts/workshop.ts';
import { AdminApi } from './admin-api.ts';
import { ApiError } from './api-client.ts';
import { renderGrid, type Titles } from './dashboard-grid.ts';
import { type Lang, pageLang } from './i18n.ts';
import { wt } from './workshop-i18n.ts';

// The instructor's page: the admin token (kept in this browser), the workshop list and create
// form, and one workshop's live dashboard (?id=) with a learner panel and a read-only terminal.
const lang: Lang = pageLang();
const TOKEN_KEY = 'handson.adminToken';
const $ = <T extends HTMLElement = HTMLElement>(selector: string) =>
  document.querySelector<T>(selector)!;
const main = $('[data-titles]');
const titles = JSON.parse(main.dataset.titles ?? '{}') as Titles;
const workshopId = new URLSearchParams(location.search).get('id');

let admin: AdminApi | undefined;
let snapshot: DashboardSnapshot | undefined;
let picked: string | undefined;
let shadow: { dispose(): void } | undefined;

function notice(text: string): void {
  $('[data-notice]').textContent = text;
}

const failed = (error: unknown) =>
  notice(wt(lang, 'admin.failed', { message: (error as Error).message }));

async function signIn(token: string): Promise<boolean> {
  const candidate = new AdminApi(token);
  try {
    await candidate.list();
  } catch (error) {
    if (error instanceof ApiError && (error.status === 401 || error.status === 403)) return false;
    throw error;
  }
  admin = candidate;
  localStorage.setItem(TOKEN_KEY, token);
  return true;
}

function showSignIn(): void {
  const form = $<HTMLFormElement>('[data-signin]');
  form.hidden = false;
  const input = form.elements.namedItem('token') as HTMLInputElement;
  input.focus();
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const error = $('[data-signin-error]');
    if (await signIn(input.value.trim())) {
      form.hidden = true;
      void start();
    } else {
      error.textContent = wt(lang, 'admin.badToken');
      error.hidden = false;
      input.setAttribute('aria-invalid', 'true');
    }
  });
}

// --- the workshop list and the create form ---------------------------------------------

function workshopItem(w: WorkshopView): HTMLLIElement {
  const li = document.createElement('li');
  const link = document.createElement('a');
  link.href = `${location.pathname}?id=${encodeURIComponent(w.id)}`;
  link.textContent = w.title;
  const meta = document.createElement('span');
  meta.className = 'ws-list-meta';
  meta.textContent = ` · ${wt(lang, 'admin.code')} ${w.code} · ${wt(lang, 'admin.learners', { n: w.learners, max: w.maxLearners })} · ${
    w.state === 'ended'
      ? wt(lang, 'admin.ended')
      : wt(lang, 'admin.endsAt', { time: new Date(w.endsAt).toLocaleTimeString(lang) })
  }`;
  li.append(link, meta);
  return li;
}

async function showHome(): Promise<void> {
  $('[data-home]').hidden = false;
  const list = $('[data-workshop-list]');
  const { workshops } = await admin!.list();
  list.replaceChildren(
    ...(workshops.length
      ? workshops.map(workshopItem)
      : [Object.assign(document.createElement('li'), { textContent: wt(lang, 'admin.none') })]),
  );
  const form = $<HTMLFormElement>('[data-create]');
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const error = $('[data-create-error]');
    error.hidden = true;
    try {
      const created = await admin!.create({
        title: String(data.get('title') ?? '').trim() || undefined,
        lessons: data.getAll('lessons').map(String),
        durationMinutes: Number(data.get('duration')),
        maxLearners: Number(data.get('max')),
        lang,
      });
      location.assign(`${location.pathname}?id=${encodeURIComponent(created.id)}`);
    } catch (failure) {
      error.textContent = (failure as Error).message;
      error.hidden = false;
    }
  });
}

// --- one workshop's dashboard --------------------------------------------------------------

function renderHeader(w: WorkshopView): void {
  $('[data-ws-title]').textContent = w.title;
  $('[data-ws-code]').textContent = w.code;
  const link = $<HTMLAnchorElement>('[data-ws-link]');
  link.href = new URL(w.joinPath, location.href).href;
  link.textContent = link.href;
  $('[data-ws-learners]').textContent = wt(lang, 'admin.learners', {
    n: w.learners,
    max: w.maxLearners,
  });
  $('[data-ws-ends]').textContent =
    w.state === 'ended'
      ? wt(lang, 'admin.ended')
      : wt(lang, 'admin.endsAt', { time: new Date(w.endsAt).toLocaleTimeString(lang) });
  for (const button of document.querySelectorAll<HTMLButtonElement>(
    '[data-end], [data-broadcast] button',
  )) {
    button.disabled = w.state === 'ended';
  }
}

function render(next: DashboardSnapshot): void {
  snapshot = next;
  renderHeader(next.workshop);
  $('[data-empty]').hidden = next.learners.length > 0;
  renderGrid($<HTMLTableElement>('[data-grid]'), next, titles, lang, openPanel);
  const current = next.learners.find((l) => l.learner === picked);
  if (current)
    $('[data-panel-failure]').textContent = current.lastFailure
      ? wt(lang, 'admin.lastFailure', { message: current.lastFailure })
      : '';
}

async function follow(id: string): Promise<void> {
  const live = $('[data-live]');
  let delay = 1000;
  for (;;) {
    const ac = new AbortController();
    try {
      for await (const next of admin!.dashboard(id, ac.signal)) {
        live.textContent = wt(lang, 'admin.live');
        delay = 1000;
        render(next);
        if (next.workshop.state === 'ended') return;
      }
    } catch (error) {
      if (error instanceof ApiError && error.status < 500) return failed(error);
    }
    live.textContent = wt(lang, 'admin.reconnecting');
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 10_000);
  }
}

function openPanel(learner: DashboardLearner): void {
  picked = learner.learner;
  const panel = $('[data-panel]');
  panel.hidden = false;
  $('[data-panel-title]').textContent = wt(lang, 'admin.readOnly', { name: learner.name });
  $('[data-panel-failure]').textContent = learner.lastFailure
    ? wt(lang, 'admin.lastFailure', { message: learner.lastFailure })
    : '';
  const select = $<HTMLSelectElement>('[data-goto-step]');
  select.replaceChildren(
    ...(snapshot?.steps ?? []).map((s, i) => {
      const option = document.createElement('option');
      option.value = `${s.lesson}/${s.step}`;
      option.textContent = `${i + 1}. ${titles[s.lesson]?.steps[s.step] ?? s.step}`;
      option.selected = learner.current?.lesson === s.lesson && learner.current.step === s.step;
      return option;
    }),
  );
  shadow?.dispose();
  void import('./shadow-terminal.ts').then(({ openShadowTerminal }) => {
    if (picked !== learner.learner) return;
    shadow = openShadowTerminal($('[data-shadow-terminal]'), async () => {
      const grant = (await admin!.learnerAction(workshopId!, learner.learner, 'terminal')) as {
        ticket: string;
        session: string;
      };
      const url = new URL(
        `/api/sessions/${encodeURIComponent(grant.session)}/terminal`,
        location.href,
      );
      url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
      url.searchParams.set('ticket', grant.ticket);
      return url.href;
    });
  });
  $('[data-panel-title]').focus?.();
}

function closePanel(): void {
  picked = undefined;
  shadow?.dispose();
  shadow = undefined;
  $('[data-panel]').hidden = true;
}

function wireDashboard(id: string): void {
  const name = () => snapshot?.learners.find((l) => l.learner === picked)?.name ?? '';
  const act = async (action: 'reset' | 'goto' | 'extend', body: object = {}) => {
    if (!picked) return;
    notice('');
    try {
      await admin!.learnerAction(id, picked, action, body);
      notice(wt(lang, 'admin.done'));
    } catch (error) {
      failed(error);
    }
  };
  $('[data-reset]').addEventListener('click', () => {
    if (confirm(wt(lang, 'admin.confirmReset', { name: name() }))) void act('reset');
  });
  $('[data-extend]').addEventListener('click', () => void act('extend', { minutes: 15 }));
  $('[data-goto]').addEventListener('click', () => {
    const [lesson, step] = $<HTMLSelectElement>('[data-goto-step]').value.split('/');
    void act('goto', { lesson, step });
  });
  $('[data-panel-close]').addEventListener('click', closePanel);
  $('[data-copy-link]').addEventListener('click', async () => {
    await navigator.clipboard
      .writeText($<HTMLAnchorElement>('[data-ws-link]').href)
      .catch(() => undefined);
    notice(wt(lang, 'admin.copied'));
  });
  const broadcast = $<HTMLFormElement>('[data-broadcast]');
  broadcast.addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = broadcast.elements.namedItem('text') as HTMLInputElement;
    try {
      await admin!.broadcast(id, input.value.trim());
      input.value = '';
      notice(wt(lang, 'admin.sent'));
    } catch (error) {
      failed(error);
    }
  });
  $('[data-end]').addEventListener('click', async () => {
    if (!confirm(wt(lang, 'admin.confirmEnd'))) return;
    try {
      renderHeader(await admin!.end(id));
      closePanel();
    } catch (error) {
      failed(error);
    }
  });
  $('[data-csv]').addEventListener('click', async () => {
    try {
      const blob = await admin!.resultsCsv(id);
      const a = Object.assign(document.createElement('a'), {
        href: URL.createObjectURL(blob),
        download: `workshop-${snapshot?.workshop.code ?? id}.csv`,
      });
      a.click();
      URL.revokeObjectURL(a.href);
    } catch (error) {
      failed(error);
    }
  });
}

async function start(): Promise<void> {
  if (!workshopId) return showHome();
  $('[data-dashboard]').hidden = false;
  wireDashboard(workshopId);
  await follow(workshopId);
}

// No top-level await: the site's bundles target browsers without it.
void (async () => {
  const saved = localStorage.getItem(TOKEN_KEY);
  if (saved && (await signIn(saved).catch(() => false))) await start();
  else showSignIn();
})();
