import { describe, expect, it } from 'vitest';
import { joinError } from '../../../../site/src/client/join-errors.ts';

describe('the join page explains a refused join in the learner language', () => {
  const refused = {
    code: 'rejoin_refused',
    message: 'Re-joining as this learner needs the secret…',
  };

  it('a refused re-join says so in Japanese and English, and points at the name', () => {
    expect(joinError('ja', refused, 'Forbidden')).toEqual({
      text: expect.stringContaining('別の名前で参加'),
      field: 'name',
    });
    expect(joinError('en', refused, 'Forbidden')).toEqual({
      text: expect.stringContaining('join under another name'),
      field: 'name',
    });
  });

  it('an unknown code points at the code; an error the page does not know shows the server message', () => {
    expect(joinError('ja', { code: 'unknown_code', message: 'x' }, '')).toEqual({
      text: expect.stringContaining('コード'),
      field: 'code',
    });
    expect(joinError('en', { code: 'teapot', message: 'short and stout' }, '')).toEqual({
      text: 'Could not join: short and stout',
      field: 'code',
    });
    expect(joinError('en', undefined, 'Bad Gateway').text).toBe('Could not join: Bad Gateway');
  });
});
