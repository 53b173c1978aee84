import { describe, expect, it } from 'vitest';
import { proseRuns } from '../../../sandbox-server/src/lessons/run-commands.ts';

const commands = (mdx: string, step = 'a') =>
  proseRuns(mdx)
    .steps.get(step)
    ?.map((run) => run.command);

describe('proseRuns: what a click on each <Run> types', () => {
  it('reads children text, {"…"} and {`…`} strings and the cmd attribute, in page order', () => {
    const mdx = [
      '<Step id="a">',
      'First <Run>docker ps -a</Run> inline, then blocks:',
      '',
      `<Run>{"docker inspect -f '{{.State.Status}}' web"}</Run>`,
      '',
      '<Run>{`ls "$(docker inspect -f \'{{.Id}}\' web)"`}</Run>',
      '',
      `<Run cmd="docker inspect -f '{{.Name}}' web" />`,
      '</Step>',
    ].join('\n');
    expect(commands(mdx)).toEqual([
      'docker ps -a',
      "docker inspect -f '{{.State.Status}}' web",
      `ls "$(docker inspect -f '{{.Id}}' web)"`,
      "docker inspect -f '{{.Name}}' web",
    ]);
  });

  it('types what the rendered page shows: markdown and entities are undone, quotes stay straight', () => {
    const mdx = '<Step id="a">\n<Run>echo "a &amp; b" > x</Run>\n<Run>ls *a* b</Run>\n</Step>';
    expect(commands(mdx)).toEqual(['echo "a & b" > x', 'ls a b']);
  });

  it('groups Runs by their step, and keeps a step without Runs', () => {
    const mdx = '<Step id="a">\n<Run>one</Run>\n</Step>\n\n<Step id="b">\nJust prose.\n</Step>';
    const { steps } = proseRuns(mdx);
    expect([...steps.keys()]).toEqual(['a', 'b']);
    expect(steps.get('b')).toEqual([]);
  });

  it('reads the interactive attributes', () => {
    const mdx = [
      '<Step id="a">',
      '<Run expect="root@box" timeout={30}>docker run -it --name box debian bash</Run>',
      '',
      '<Run keys="C-p C-q" />',
      '',
      '<Run fails>docker push localhost:5001/x</Run>',
      '',
      '<Run localized>echo こんにちは</Run>',
      '</Step>',
    ].join('\n');
    expect(proseRuns(mdx).steps.get('a')).toEqual([
      {
        command: 'docker run -it --name box debian bash',
        keys: undefined,
        expect: 'root@box',
        timeoutS: 30,
        fails: false,
        localized: false,
        line: 2,
      },
      expect.objectContaining({ command: undefined, keys: 'C-p C-q', line: 4 }),
      expect.objectContaining({ command: 'docker push localhost:5001/x', fails: true }),
      expect.objectContaining({ command: 'echo こんにちは', localized: true }),
    ]);
  });

  it('names the line and step of a Run that cannot be typed', () => {
    const mdx = [
      '<Step id="a">',
      '<Run>{name}</Run>',
      '',
      '<Run />',
      '',
      '<Run expect="(">x</Run>',
      '</Step>',
      '<Run>docker ps</Run>',
    ].join('\n');
    const { problems } = proseRuns(mdx);
    expect(problems).toEqual([
      expect.stringMatching(/^line 2 \(step "a"\): \{name\} is not a string/),
      'line 4 (step "a"): <Run> has neither a command nor keys="…"',
      expect.stringMatching(/^line 6 \(step "a"\): expect="\(" is not a valid regular expression/),
      'line 8: <Run> outside any <Step>',
    ]);
  });

  it('says so when the MDX does not parse', () => {
    expect(proseRuns('<Step id="a">\n<Run>x</Step>').problems[0]).toMatch(/does not parse/);
  });
});
