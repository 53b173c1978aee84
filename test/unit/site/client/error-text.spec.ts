import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../../site/src/client/api-client.ts';
import { errorText } from '../../../../site/src/client/error-text.ts';
import { chineseProblems } from '../../helpers/chinese-text.ts';

describe('error text for learners', () => {
  it('says a known API error in the page language, by its code', () => {
    const busy = new ApiError(503, 'at_capacity', 'All sandboxes are in use.', 5);
    expect(errorText('zh', busy)).toBe('沙箱都在使用中，请稍后再试');
    expect(errorText('ja', busy)).toBe(
      'サンドボックスが満員です。少し待ってからもう一度試してください',
    );
    const big = new ApiError(413, 'too_large', 'The file is over 1048576 bytes.', undefined);
    expect(chineseProblems(errorText('zh', big))).toEqual([]);
    expect(errorText('zh', big)).toContain('1 MiB');
  });

  it("keeps the server's own words in English and for codes it does not know", () => {
    const busy = new ApiError(503, 'at_capacity', 'All sandboxes are in use.', 5);
    expect(errorText('en', busy)).toBe('All sandboxes are in use.');
    expect(errorText('zh', new ApiError(418, 'teapot', 'I am a teapot', undefined))).toBe(
      'I am a teapot',
    );
  });

  it('says an unreachable server in Chinese', () => {
    expect(errorText('zh', new TypeError('Failed to fetch'))).toBe('连不上服务器，请检查网络连接');
  });
});
