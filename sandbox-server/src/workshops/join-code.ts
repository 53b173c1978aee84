import { randomInt } from 'node:crypto';
import { JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH } from '#contracts/workshop.ts';

/**
 * A join code a person can read aloud and type: six characters from an alphabet without
 * look-alikes; `taken` keeps it unique among existing workshops.
 *
 * @example
 * await newJoinCode(async (code) => (await repo.byCode(code)) !== undefined); // 'K7QX2M'
 */
export async function newJoinCode(
  taken: (code: string) => boolean | Promise<boolean>,
): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    let code = '';
    for (let i = 0; i < JOIN_CODE_LENGTH; i++) {
      code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
    }
    if (!(await taken(code))) return code;
  }
  throw new Error('Could not find a free join code after 100 tries.');
}
