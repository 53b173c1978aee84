import { describe, expect, it } from 'vitest';
import {
  forgetSession,
  loadSession,
  needsGoto,
  ProgressStore,
  resumeStep,
  saveSession,
} from '../../../../site/src/client/progress.ts';
import { memoryStorage } from './memory-storage.ts';

describe('progress in the browser', () => {
  it('remembers done steps once each, and the current step, per lesson', () => {
    const store = new ProgressStore(memoryStorage());
    store.markDone('images', 'pull');
    store.markDone('images', 'pull');
    store.setStep('images', 'tag');
    expect(store.get('images')).toEqual({ step: 'tag', done: ['pull'], reached: undefined });
    expect(store.get('other')).toEqual({ step: undefined, done: [], reached: undefined });
  });

  it('survives garbage in storage', () => {
    const storage = memoryStorage();
    storage.setItem('handson.progress', '{not json');
    expect(new ProgressStore(storage).get('x').done).toEqual([]);
  });

  it('keeps and forgets the session of a lesson', () => {
    const storage = memoryStorage();
    saveSession(storage, 'images', { id: 's1', token: 't', expiresAt: 'x' });
    expect(loadSession(storage, 'images')?.id).toBe('s1');
    expect(loadSession(storage, 'other')).toBeUndefined();
    forgetSession(storage, 'images');
    expect(loadSession(storage, 'images')).toBeUndefined();
  });

  it('resumes at the remembered step, else the first step not done', () => {
    expect(resumeStep(['a', 'b', 'c'], { step: 'c', done: [] })).toBe('c');
    expect(resumeStep(['a', 'b', 'c'], { step: 'gone', done: ['a'] })).toBe('b');
    expect(resumeStep(['a', 'b'], { done: ['a', 'b'] })).toBe('a');
  });

  it('asks for goto only when jumping past steps the sandbox has not seen', () => {
    const steps = ['a', 'b', 'c'];
    expect(needsGoto(steps, { done: [] }, 'a')).toBe(false);
    expect(needsGoto(steps, { done: ['a'] }, 'b')).toBe(false);
    expect(needsGoto(steps, { done: ['a'] }, 'c')).toBe(true);
    expect(needsGoto(steps, { done: [], reached: 'c' }, 'c')).toBe(false);
    expect(needsGoto(steps, { done: [], reached: 'b' }, 'c')).toBe(true);
    expect(needsGoto(steps, { done: ['b'], reached: 'b' }, 'c')).toBe(false);
  });
});
