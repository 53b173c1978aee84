import { langOr } from '#contracts/lang.ts';
import type { JoinResponse, JoinWorkshopBody } from '#contracts/workshop.ts';
import { DomainError } from '../http/domain-error.ts';
import { newLearnerId } from '../http/learner-cookie.ts';
import type { SessionManager } from '../sessions/session-manager.ts';
import type { WorkshopRepository, WorkshopRow } from '../store/workshop-repository.ts';
import { assertMayRejoin, newRejoinSecret } from './rejoin.ts';

export interface JoinDeps {
  repo: WorkshopRepository;
  manager: SessionManager;
  now: () => number;
  running: (w: WorkshopRow) => boolean;
  /** A seat was taken or a learner's session replaced: reserve sandboxes, tell the dashboard. */
  seatsChanged: (workshopId: string) => Promise<void>;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * A learner joins with the code and a display name and gets a session; `learner` (the id an
 * earlier join returned) with the secret that join returned re-joins as the same person, with
 * the same sandbox, a new token and a new secret.
 *
 * @example
 * const joined = await joinWorkshop({ code: 'BLUE-FOX-42', name: 'Aki' }, deps);
 */
export async function joinWorkshop(body: JoinWorkshopBody, deps: JoinDeps): Promise<JoinResponse> {
  const { repo, manager } = deps;
  const w = await repo.byCode(body.code);
  if (!w) {
    throw new DomainError(
      'not_found',
      'unknown_code',
      `No workshop has the code "${body.code}". Check the code your instructor gave you.`,
    );
  }
  if (!deps.running(w)) {
    throw new DomainError('gone', 'workshop_ended', `The workshop "${w.title}" has ended.`);
  }
  const byName = await repo.learnerByName(w.id, body.name);
  if (body.learner) {
    const again = await repo.learner(body.learner);
    if (again && again.workshopId === w.id) {
      assertMayRejoin(again.rejoinHash, body.secret);
      return rejoin(w, again.learnerId, again.name, deps);
    }
  }
  if (byName) {
    throw new DomainError(
      'conflict',
      'name_taken',
      `Someone in this workshop is already called "${body.name}". Add an initial or a number to your name.`,
    );
  }
  if ((await repo.learners(w.id)).length >= w.maxLearners) {
    throw new DomainError(
      'conflict',
      'workshop_full',
      `The workshop "${w.title}" is full (${w.maxLearners} learners). Ask your instructor for a seat.`,
    );
  }
  const learnerId = newLearnerId();
  const secret = newRejoinSecret();
  const created = await manager.create({
    lang: body.lang ?? langOr(w.lang),
    lesson: w.lessons[0],
    learnerId,
    workshop: { id: w.id, expiresAt: w.endsAt },
  });
  await repo.addLearner({
    learnerId,
    workshopId: w.id,
    name: body.name,
    sessionId: created.id,
    joinedAt: deps.now(),
    rejoinHash: secret.hash,
  });
  await deps.seatsChanged(w.id);
  return joined(w, created, learnerId, body.name, secret.secret);
}

async function rejoin(
  w: WorkshopRow,
  learnerId: string,
  name: string,
  deps: JoinDeps,
): Promise<JoinResponse> {
  const learner = (await deps.repo.learner(learnerId))!;
  // A new secret each time: whoever held the old one (with the old token) is shut out.
  const secret = newRejoinSecret();
  await deps.repo.setRejoinHash(learnerId, secret.hash);
  const session = deps.manager.find(learner.sessionId);
  if (session) {
    const token = await deps.manager.rotateToken(session);
    return joined(
      w,
      { id: session.id, token, expiresAt: iso(session.row.expiresAt) },
      learnerId,
      name,
      secret.secret,
    );
  }
  // Their session is gone (e.g. removed by hand): a new one, same learner and progress.
  const created = await deps.manager.create({
    lang: langOr(w.lang),
    lesson: w.lessons[0],
    learnerId,
    workshop: { id: w.id, expiresAt: w.endsAt },
  });
  await deps.repo.setLearnerSession(learnerId, created.id);
  await deps.seatsChanged(w.id);
  return joined(w, created, learnerId, name, secret.secret);
}

function joined(
  w: WorkshopRow,
  session: { id: string; token: string; expiresAt: string },
  learner: string,
  name: string,
  secret: string,
): JoinResponse {
  return {
    ...session,
    learner,
    secret,
    name,
    workshop: { id: w.id, title: w.title, endsAt: iso(w.endsAt), lessons: w.lessons },
    lesson: w.lessons[0]!,
  };
}
