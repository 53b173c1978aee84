import type {
  DashboardLearner,
  DashboardSnapshot,
  DashboardStep,
  WorkshopView,
} from '#contracts/workshop.ts';
import type { LessonCatalog } from '../lessons/catalog.ts';
import type { ProgressRecorder } from '../progress/progress-recorder.ts';
import type { WorkshopRepository } from '../store/workshop-repository.ts';
import { learnerRow, sortForInstructor } from './dashboard.ts';

export interface SnapshotDeps {
  repo: WorkshopRepository;
  catalog: LessonCatalog;
  progress: ProgressRecorder;
  /** The state of a learner's session, `gone` when it has ended. */
  /** A learner session's state; a cluster's replica asks the database for another replica's. */
  sessionState: (
    sessionId: string,
  ) => DashboardLearner['sessionState'] | Promise<DashboardLearner['sessionState']>;
  now: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The instructor's grid for one workshop: its steps in order, each learner's row (stuck
 * learners first) and the messages sent.
 *
 * @example
 * const grid = await dashboardSnapshot(await workshops.view(w), { repo, catalog, progress, sessionState, now });
 */
export async function dashboardSnapshot(
  workshop: WorkshopView,
  deps: SnapshotDeps,
): Promise<DashboardSnapshot> {
  const steps: DashboardStep[] = [];
  for (const id of workshop.lessons) {
    const lesson = await deps.catalog.lesson(id);
    for (const step of lesson?.spec.steps ?? []) steps.push({ lesson: id, step: step.id });
  }
  const learners = await deps.repo.learners(workshop.id);
  const attempts = await deps.progress.attemptsOf(learners.map((l) => l.learnerId));
  const states = await Promise.all(learners.map((l) => deps.sessionState(l.sessionId)));
  const rows = learners.map((l, i) =>
    learnerRow(
      steps,
      {
        learner: l.learnerId,
        name: l.name,
        session: l.sessionId,
        sessionState: states[i]!,
        joinedAt: l.joinedAt,
        attempts: attempts.filter((a) => a.learnerId === l.learnerId),
      },
      deps.now,
    ),
  );
  return {
    workshop,
    steps,
    learners: sortForInstructor(rows),
    messages: (await deps.repo.messages(workshop.id)).map((m) => ({
      id: m.id,
      text: m.text,
      sentAt: iso(m.sentAt),
    })),
    at: iso(deps.now),
  };
}
