import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { lessonIdFromFolder, STEP_ID } from '../contracts/lesson.ts';

/**
 * `handson new lesson <id>`: a lesson folder that verifies at once on both paths — lesson.yaml
 * with one step (a solution and checks of engine state), and ja.mdx / en.mdx / zh.mdx whose `<Run>` does
 * what the solution does. Authors grow it from there.
 */

/** The files of a new lesson, by name. */
export function scaffoldFiles(order: number): Record<string, string> {
  return {
    'lesson.yaml': `order: ${order}
part: running-well  # the index's group: basics, images, networking-and-data, building, running-well
title: {ja: 新しいレッスン, en: A new lesson, zh: 新课程}
summary:
  ja: このレッスンで学ぶことを一、二文で。
  en: One or two sentences on what this lesson teaches.
  zh: 用一两句话说明这一课要学什么。
images: [busybox]
steps:
  - id: first-container
    title: {ja: 最初のコンテナ, en: A first container, zh: 第一个容器}
    solution: docker run --name hello busybox echo hello
    hints:
      ja: ['\`docker run --name hello busybox echo hello\` を実行します。']
      en: ['Run \`docker run --name hello busybox echo hello\`.']
      zh: ['运行 \`docker run --name hello busybox echo hello\`。']
    checks:
      # Check the state a command leaves (a container, an image, a file), not the command itself.
      - container: hello
        image: busybox
        state: exited
        exitCode: 0
      - logs: hello
        contains: hello
`,
    'ja.mdx': `<Step id="first-container">
busybox のコンテナに \`echo\` を実行させ、\`hello\` という名前を付けます。

<Run>docker run --name hello busybox echo hello</Run>

コンテナは \`hello\` と表示して終了します。
</Step>
`,
    'en.mdx': `<Step id="first-container">
Have a busybox container run \`echo\`, and name it \`hello\`:

<Run>docker run --name hello busybox echo hello</Run>

The container prints \`hello\` and exits.
</Step>
`,
    'zh.mdx': `<Step id="first-container">
让一个 busybox 容器执行 \`echo\`，并把它命名为 \`hello\`：

<Run>docker run --name hello busybox echo hello</Run>

容器打印出 \`hello\` 后就退出了。
</Step>
`,
  };
}

/** The next free order number among the lesson folders of `contentDir` (`07-…` → 8). */
async function nextOrder(contentDir: string): Promise<number> {
  const names = await readdir(contentDir).catch(() => [] as string[]);
  const orders = names.map((n) => Number(/^(\d+)-/.exec(n)?.[1] ?? 0));
  return Math.max(0, ...orders) + 1;
}

/**
 * Create a lesson folder: `ref` is a lesson id (made under `contentDir` with the next order
 * number, `12-my-lesson`) or a path (`./drafts/my-lesson`, made there). Refuses to overwrite.
 * Returns the folder's absolute path.
 *
 * @example
 * await scaffoldLesson('my-lesson', 'content/lessons') // '/…/content/lessons/12-my-lesson'
 */
export async function scaffoldLesson(ref: string, contentDir: string): Promise<string> {
  const isPath = ref.includes('/') || ref.startsWith('.');
  const id = lessonIdFromFolder(path.basename(ref));
  if (!STEP_ID.test(id)) {
    throw new Error(
      `"${id}" is not a lesson id: use lowercase letters, digits and dashes (my-lesson)`,
    );
  }
  const order = await nextOrder(isPath ? path.dirname(path.resolve(ref)) : contentDir);
  const dir = isPath
    ? path.resolve(ref)
    : path.join(path.resolve(contentDir), `${String(order).padStart(2, '0')}-${id}`);
  const taken = await stat(dir).then(
    () => true,
    () => false,
  );
  if (taken) throw new Error(`${dir} already exists; pick another id or remove it first`);
  await mkdir(dir, { recursive: true });
  for (const [name, text] of Object.entries(scaffoldFiles(order)))
    await writeFile(path.join(dir, name), text);
  return dir;
}
