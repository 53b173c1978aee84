/**
 * Every string the site shows, in every language. One flat dictionary keeps the languages
 * from drifting: the `Messages` type makes a missing string in any language a type error.
 */

import { isLang, LANGS, type Lang } from '#contracts/lang.ts';

export { isLang, LANGS, type Lang };

const en = {
  'site.title': 'handson — Docker, hands on',
  'site.tagline': 'Real docker commands in your own sandbox, checked as you go.',
  'nav.course': 'Course',
  'nav.language': 'Language',
  'nav.skip': 'Skip to content',
  'index.heading': 'Lessons',
  'index.empty': 'No lessons yet.',
  'index.steps': '{n} steps',
  'index.progress': '{done} of {total} steps done',
  'index.notStarted': 'Not started',
  'index.completed': 'Completed',
  'index.continue': 'Continue',
  'index.start': 'Start',
  'index.part': 'Part {n}',
  'part.basics': 'Basics',
  'part.images': 'Images',
  'part.networking-and-data': 'Networking and data',
  'part.building': 'Building and shipping images',
  'part.running-well': 'Running well',
  'part.other': 'More lessons',
  'lesson.steps': 'Steps',
  'lesson.stepOf': 'Step {n} of {total}',
  'lesson.prev': 'Previous step',
  'lesson.next': 'Next step',
  'lesson.done': 'done',
  'lesson.current': 'current',
  'lesson.resize': 'Resize the prose and terminal panes',
  'lesson.prose': 'Lesson text',
  'lesson.workspace': 'Terminal and editor',
  'lesson.lessonDone': 'You finished this lesson.',
  'lesson.backToCourse': 'Back to the course',
  'run.run': 'Run',
  'run.runLabel': 'Type “{cmd}” into the terminal',
  'run.copy': 'Copy',
  'run.copyLabel': 'Copy “{cmd}”',
  'run.copied': 'Copied',
  'run.press': 'Press',
  'run.pressLabel': 'Press {keys} in the terminal',
  'run.pressKeys': 'then press',
  'check.check': 'Check',
  'check.checking': 'Checking…',
  'check.passed': 'Step done. Well done!',
  'check.failed': 'Not yet. What is missing:',
  'check.error': 'The check could not run: {message}. Try again in a moment.',
  'check.results': 'Check results',
  'hint.show': 'Show a hint ({n}/{total})',
  'hint.none': 'No more hints',
  'hint.heading': 'Hints',
  'solve.solve': 'Solve',
  'solve.label': 'Type this step’s solution into the terminal',
  'solve.typing': 'Typing the solution…',
  'reset.reset': 'Reset',
  'reset.label': 'Throw this sandbox away and start a fresh one',
  'reset.confirm': 'Throw away everything in this sandbox and start a fresh one?',
  'ports.heading': 'Open a published port',
  'ports.open': 'Open port {port}',
  'ports.custom': 'Port number',
  'ports.go': 'Open',
  'ports.invalid': 'Enter a port between 1 and 65535.',
  'state.starting': 'Starting your sandbox…',
  'state.preparing': 'Bringing your sandbox to this step…',
  'state.ready': 'Sandbox ready',
  'state.reconnecting': 'Connection lost — reconnecting…',
  'state.expiring': 'Your sandbox expires in {minutes} min.',
  'state.extend': 'Extend',
  'state.expired': 'Your sandbox expired. Start a new one to continue from this step.',
  'state.restart': 'Start a new sandbox',
  'state.noCapacity': 'All sandboxes are busy — retrying in {seconds} s…',
  'state.diskLow': 'The server is short of disk space for new sandboxes — retrying in {seconds} s…',
  'state.failed': 'The sandbox could not start: {message}',
  'state.retry': 'Try again',
  'state.tooMany': 'Too many requests — retrying in {seconds} s…',
  'terminal.label': 'Terminal',
  'terminal.srMode': 'Screen-reader mode',
  'terminal.keys': 'Tab completes in the shell; F6 leaves the terminal.',
  'terminal.paste': 'Paste into the terminal',
  'terminal.pasteFailed': 'The browser did not allow reading the clipboard. Use Ctrl+Shift+V.',
  'editor.label': 'Editor',
  'editor.loading': 'Loading the editor…',
  'editor.save': 'Save',
  'editor.saveLabel': 'Save {file} to the sandbox',
  'editor.saved': 'Saved {file}',
  'editor.saveFailed': 'Could not save {file}: {message}',
  'editor.loadFailed': 'Could not load {file}: {message}',
  'editor.files': 'Files',
  'theme.note': 'Colours follow your system setting.',
  'error.rate_limited': 'too many requests; wait a few seconds and try again',
  'error.at_capacity': 'all sandboxes are busy; try again in a moment',
  'error.session_expired': 'your sandbox has expired; start a new one',
  'error.session_failed': 'your sandbox stopped working; reset it to get a fresh one',
  'error.sandbox_failed': 'the sandbox could not be prepared; reset it and try again',
  'error.session_gone': 'this sandbox has ended; reload the page to get a new one',
  'error.max_lifetime': 'the sandbox has reached its longest lifetime and cannot be extended',
  'error.too_large': 'the file is larger than 1 MiB',
  'error.is_directory': 'that path is a directory, not a file',
  'error.bad_path': 'the path must stay inside the workspace ~/work',
  'error.unknown_step': 'the server does not know this step; reload the page',
  'error.network': 'the server could not be reached; check your connection',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Record<MessageKey, string>;

const ja: Messages = {
  'site.title': 'handson — 手を動かして学ぶ Docker',
  'site.tagline': '自分専用のサンドボックスで本物の docker コマンドを打ち、その場で確認します。',
  'nav.course': 'コース',
  'nav.language': '言語',
  'nav.skip': '本文へ移動',
  'index.heading': 'レッスン',
  'index.empty': 'レッスンはまだありません。',
  'index.steps': '{n} ステップ',
  'index.progress': '{total} ステップ中 {done} 完了',
  'index.notStarted': '未着手',
  'index.completed': '完了',
  'index.continue': '続ける',
  'index.start': '始める',
  'index.part': '第 {n} 部',
  'part.basics': '基本',
  'part.images': 'イメージ',
  'part.networking-and-data': 'ネットワークとデータ',
  'part.building': 'イメージを作って配る',
  'part.running-well': 'うまく運用する',
  'part.other': 'その他のレッスン',
  'lesson.steps': 'ステップ',
  'lesson.stepOf': 'ステップ {n} / {total}',
  'lesson.prev': '前のステップ',
  'lesson.next': '次のステップ',
  'lesson.done': '完了',
  'lesson.current': '現在',
  'lesson.resize': '本文とターミナルの幅を変える',
  'lesson.prose': 'レッスン本文',
  'lesson.workspace': 'ターミナルとエディタ',
  'lesson.lessonDone': 'このレッスンは完了です。',
  'lesson.backToCourse': 'コースに戻る',
  'run.run': '実行',
  'run.runLabel': '「{cmd}」をターミナルに入力する',
  'run.copy': 'コピー',
  'run.copyLabel': '「{cmd}」をコピーする',
  'run.copied': 'コピーしました',
  'run.press': '押す',
  'run.pressLabel': 'ターミナルで {keys} を押す',
  'run.pressKeys': 'に続けて',
  'check.check': 'チェック',
  'check.checking': 'チェック中…',
  'check.passed': 'このステップは完了です。',
  'check.failed': 'まだです。足りないもの:',
  'check.error':
    'チェックを実行できませんでした: {message}。少し待ってからもう一度試してください。',
  'check.results': 'チェック結果',
  'hint.show': 'ヒントを見る ({n}/{total})',
  'hint.none': 'ヒントはもうありません',
  'hint.heading': 'ヒント',
  'solve.solve': '解答',
  'solve.label': 'このステップの解答をターミナルに入力する',
  'solve.typing': '解答を入力中…',
  'reset.reset': 'リセット',
  'reset.label': 'このサンドボックスを捨てて新しく始める',
  'reset.confirm': 'このサンドボックスの中身をすべて捨てて、新しく始めますか?',
  'ports.heading': '公開したポートを開く',
  'ports.open': 'ポート {port} を開く',
  'ports.custom': 'ポート番号',
  'ports.go': '開く',
  'ports.invalid': '1〜65535 のポート番号を入力してください。',
  'state.starting': 'サンドボックスを起動しています…',
  'state.preparing': 'サンドボックスをこのステップの状態にしています…',
  'state.ready': 'サンドボックスの準備ができました',
  'state.reconnecting': '接続が切れました。再接続しています…',
  'state.expiring': 'サンドボックスはあと {minutes} 分で終了します。',
  'state.extend': '延長する',
  'state.expired':
    'サンドボックスの期限が切れました。新しいサンドボックスでこのステップから続けられます。',
  'state.restart': '新しいサンドボックスを起動',
  'state.noCapacity': 'サンドボックスが満員です。{seconds} 秒後に再試行します…',
  'state.diskLow':
    'サーバーのディスクに新しいサンドボックスの空きがありません。{seconds} 秒後に再試行します…',
  'state.failed': 'サンドボックスを起動できませんでした: {message}',
  'state.retry': '再試行',
  'state.tooMany': 'リクエストが多すぎます。{seconds} 秒後に再試行します…',
  'terminal.label': 'ターミナル',
  'terminal.srMode': 'スクリーンリーダーモード',
  'terminal.keys': 'Tab はシェルの補完に使います。F6 でターミナルから移動します。',
  'terminal.paste': 'ターミナルに貼り付ける',
  'terminal.pasteFailed':
    'ブラウザがクリップボードの読み取りを許可しませんでした。Ctrl+Shift+V を使ってください。',
  'editor.label': 'エディタ',
  'editor.loading': 'エディタを読み込んでいます…',
  'editor.save': '保存',
  'editor.saveLabel': '{file} をサンドボックスに保存する',
  'editor.saved': '{file} を保存しました',
  'editor.saveFailed': '{file} を保存できませんでした: {message}',
  'editor.loadFailed': '{file} を読み込めませんでした: {message}',
  'editor.files': 'ファイル',
  'theme.note': '配色はシステムの設定に従います。',
  'error.rate_limited': 'リクエストが多すぎます。数秒待ってからもう一度試してください',
  'error.at_capacity': 'サンドボックスが満員です。少し待ってからもう一度試してください',
  'error.session_expired':
    'サンドボックスの期限が切れました。新しいサンドボックスを起動してください',
  'error.session_failed': 'サンドボックスが動いていません。リセットして新しくしてください',
  'error.sandbox_failed':
    'サンドボックスを準備できませんでした。リセットしてからもう一度試してください',
  'error.session_gone':
    'このサンドボックスは終了しました。ページを再読み込みすると新しく始まります',
  'error.max_lifetime': 'サンドボックスは最長の利用時間に達したため、延長できません',
  'error.too_large': 'ファイルが 1 MiB を超えています',
  'error.is_directory': 'そのパスはファイルではなくディレクトリです',
  'error.bad_path': 'パスはワークスペース ~/work の中にしてください',
  'error.unknown_step': 'サーバーがこのステップを知りません。ページを再読み込みしてください',
  'error.network': 'サーバーに接続できません。ネットワークを確かめてください',
};

const zh: Messages = {
  'site.title': 'handson — 动手学 Docker',
  'site.tagline': '在你自己的沙箱里敲真实的 docker 命令，每一步都能当场检查。',
  'nav.course': '课程',
  'nav.language': '语言',
  'nav.skip': '跳到正文',
  'index.heading': '课程列表',
  'index.empty': '还没有课程。',
  'index.steps': '{n} 个步骤',
  'index.progress': '已完成 {done}/{total} 个步骤',
  'index.notStarted': '未开始',
  'index.completed': '已完成',
  'index.continue': '继续',
  'index.start': '开始',
  'index.part': '第 {n} 部分',
  'part.basics': '基础',
  'part.images': '镜像',
  'part.networking-and-data': '网络与数据',
  'part.building': '构建与分发镜像',
  'part.running-well': '稳妥地运行',
  'part.other': '更多课程',
  'lesson.steps': '步骤',
  'lesson.stepOf': '第 {n} 步，共 {total} 步',
  'lesson.prev': '上一步',
  'lesson.next': '下一步',
  'lesson.done': '已完成',
  'lesson.current': '当前',
  'lesson.resize': '调整正文和终端的宽度',
  'lesson.prose': '课程正文',
  'lesson.workspace': '终端和编辑器',
  'lesson.lessonDone': '这一课已经完成了。',
  'lesson.backToCourse': '返回课程列表',
  'run.run': '运行',
  'run.runLabel': '把“{cmd}”输入到终端',
  'run.copy': '复制',
  'run.copyLabel': '复制“{cmd}”',
  'run.copied': '已复制',
  'run.press': '按键',
  'run.pressLabel': '在终端里按 {keys}',
  'run.pressKeys': '然后按',
  'check.check': '检查',
  'check.checking': '正在检查…',
  'check.passed': '这一步完成了，做得好！',
  'check.failed': '还没有完成，缺少的是：',
  'check.error': '检查没能运行：{message}。请稍等片刻再试。',
  'check.results': '检查结果',
  'hint.show': '看提示（{n}/{total}）',
  'hint.none': '没有更多提示了',
  'hint.heading': '提示',
  'solve.solve': '填入答案',
  'solve.label': '把这一步的答案输入到终端',
  'solve.typing': '正在输入答案…',
  'reset.reset': '重置',
  'reset.label': '丢弃这个沙箱，重新开一个',
  'reset.confirm': '要丢弃这个沙箱里的所有内容，重新开一个吗？',
  'ports.heading': '打开已发布的端口',
  'ports.open': '打开端口 {port}',
  'ports.custom': '端口号',
  'ports.go': '打开',
  'ports.invalid': '请输入 1 到 65535 之间的端口号。',
  'state.starting': '正在启动你的沙箱…',
  'state.preparing': '正在把沙箱带到这一步的状态…',
  'state.ready': '沙箱已就绪',
  'state.reconnecting': '连接断开了，正在重新连接…',
  'state.expiring': '你的沙箱将在 {minutes} 分钟后到期。',
  'state.extend': '延长',
  'state.expired': '你的沙箱已经到期。开一个新沙箱，就能从这一步接着做。',
  'state.restart': '开一个新沙箱',
  'state.noCapacity': '沙箱都在使用中，{seconds} 秒后重试…',
  'state.diskLow': '服务器磁盘空间不足，暂时无法创建新的沙箱，{seconds} 秒后重试…',
  'state.failed': '沙箱没能启动：{message}',
  'state.retry': '重试',
  'state.tooMany': '请求太频繁了，{seconds} 秒后重试…',
  'terminal.label': '终端',
  'terminal.srMode': '屏幕阅读器模式',
  'terminal.keys': 'Tab 键在 shell 里用于补全；按 F6 离开终端。',
  'terminal.paste': '粘贴到终端',
  'terminal.pasteFailed': '浏览器不允许读取剪贴板。请改用 Ctrl+Shift+V。',
  'editor.label': '编辑器',
  'editor.loading': '正在加载编辑器…',
  'editor.save': '保存',
  'editor.saveLabel': '把 {file} 保存到沙箱',
  'editor.saved': '已保存 {file}',
  'editor.saveFailed': '没能保存 {file}：{message}',
  'editor.loadFailed': '没能读取 {file}：{message}',
  'editor.files': '文件',
  'theme.note': '配色跟随系统设置。',
  'error.rate_limited': '请求太频繁了，请等几秒再试',
  'error.at_capacity': '沙箱都在使用中，请稍后再试',
  'error.session_expired': '你的沙箱已经到期，请开一个新沙箱',
  'error.session_failed': '你的沙箱出了故障，请重置沙箱，换一个新的',
  'error.sandbox_failed': '沙箱没能准备好，请重置沙箱后再试',
  'error.session_gone': '这个沙箱已经结束了，刷新页面就会开一个新的',
  'error.max_lifetime': '沙箱已经达到最长使用时间，不能再延长了',
  'error.too_large': '文件超过了 1 MiB',
  'error.is_directory': '这个路径是目录，不是文件',
  'error.bad_path': '路径必须在工作目录 ~/work 之内',
  'error.unknown_step': '服务器上没有这一步，请刷新页面',
  'error.network': '连不上服务器，请检查网络连接',
};

const dictionaries: Record<Lang, Messages> = { en, ja, zh };

/** Language names shown in the switcher, each in its own language. */
export const LANG_NAMES: Record<Lang, string> = { ja: '日本語', en: 'English', zh: '简体中文' };

/**
 * The BCP 47 tag a page in `lang` carries in `<html lang>`: `zh-Hans` so browsers pick
 * Simplified Chinese glyphs rather than Japanese ones for the shared Han characters.
 *
 * @example
 * htmlLang('zh') // 'zh-Hans'
 */
export function htmlLang(lang: Lang): string {
  return lang === 'zh' ? 'zh-Hans' : lang;
}

/**
 * The site language a BCP 47 tag asks for, or undefined: `ja-JP` → ja, and every `zh-*`
 * (`zh-CN`, `zh-TW`, `zh-Hant`) → zh, the one Chinese the site is written in.
 *
 * @example
 * langOfTag('zh-Hans') // 'zh'
 * langOfTag('fr-FR')   // undefined
 */
export function langOfTag(tag: string): Lang | undefined {
  const base = tag.trim().toLowerCase().split(/[-_]/)[0];
  return isLang(base) ? base : undefined;
}

/** The language of the page being shown (from `<html lang>`), English when unknown. */
export function pageLang(doc: Document = document): Lang {
  return langOfTag(doc.documentElement.lang) ?? 'en';
}

/**
 * The message `key` in `lang`, with `{name}` placeholders filled from `params`.
 *
 * @example
 * t('en', 'lesson.stepOf', { n: 2, total: 5 }) // 'Step 2 of 5'
 */
export function t(
  lang: Lang,
  key: MessageKey,
  params: Record<string, string | number> = {},
): string {
  const template = dictionaries[lang][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** All keys, so tests can prove both dictionaries are complete and non-empty. */
export function messageKeys(): MessageKey[] {
  return Object.keys(en) as MessageKey[];
}

/** The raw dictionary of one language (for tests and the client bundle's lookups). */
export function dictionary(lang: Lang): Messages {
  return dictionaries[lang];
}
