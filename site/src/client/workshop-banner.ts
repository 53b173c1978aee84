import { serverSentEvents } from '#contracts/server-sent-events.ts';
import type { LearnerEvent } from '#contracts/workshop.ts';
import type { Lang } from './i18n.ts';
import { loadSession } from './progress.ts';
import { wt } from './workshop-i18n.ts';
import { forgetMembership, type Membership } from './workshop-membership.ts';

/**
 * What a workshop learner sees above the lesson: the workshop, its remaining time, and the
 * instructor's messages as they arrive (announced politely to screen readers).
 *
 * @example
 * showWorkshopBanner(document.querySelector('main')!, membership, 'first-containers', 'en');
 */
export function showWorkshopBanner(
  host: HTMLElement,
  membership: Membership,
  lesson: string,
  lang: Lang,
): void {
  const session = loadSession(localStorage, lesson);
  if (!session || session.id !== membership.session.id) return;
  const box = document.createElement('section');
  box.className = 'workshop-banner';
  box.setAttribute('aria-label', wt(lang, 'banner.workshop', { title: membership.title }));
  const title = document.createElement('strong');
  title.textContent = wt(lang, 'banner.workshop', { title: membership.title });
  const clock = document.createElement('span');
  clock.className = 'workshop-clock';
  const messages = document.createElement('div');
  messages.setAttribute('role', 'status');
  messages.setAttribute('aria-live', 'polite');
  messages.className = 'workshop-messages';
  box.append(title, clock, messages);
  host.prepend(box);

  let endsAt = Date.parse(membership.endsAt);
  let ended = false;
  const tick = () => {
    if (ended) return;
    clock.textContent = wt(lang, 'banner.endsIn', {
      minutes: Math.max(0, Math.ceil((endsAt - Date.now()) / 60_000)),
    });
  };
  tick();
  setInterval(tick, 30_000);
  const seen = new Set<number>();

  const onEvent = (event: LearnerEvent) => {
    if (event.type === 'workshop') {
      endsAt = Date.parse(event.endsAt);
      if (event.state === 'ended') {
        ended = true;
        clock.textContent = wt(lang, 'banner.ended');
        forgetMembership(localStorage);
      }
      tick();
    } else if (!seen.has(event.id)) {
      seen.add(event.id);
      const item = document.createElement('p');
      item.className = 'workshop-message';
      const label = document.createElement('span');
      label.className = 'visually-hidden';
      label.textContent = `${wt(lang, 'banner.message')}: `;
      item.append(label, document.createTextNode(event.text));
      messages.replaceChildren(item);
    }
  };

  void (async () => {
    let delay = 2000;
    while (!ended) {
      try {
        const res = await fetch(`/api/sessions/${encodeURIComponent(session.id)}/events`, {
          headers: { authorization: `Bearer ${session.token}` },
        });
        // The session is gone (the workshop ended): nothing more to hear.
        if (res.status === 404 || res.status === 401) return;
        for await (const e of serverSentEvents(res.body!))
          onEvent(JSON.parse(e.data) as LearnerEvent);
      } catch {
        // The server restarted or the network dropped: try again shortly.
      }
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 30_000);
    }
  })();
}
