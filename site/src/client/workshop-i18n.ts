import type { Lang } from './i18n.ts';

/**
 * The workshop pages' strings (join page, instructor dashboard, the learner's banner), kept
 * apart from the lesson page's dictionary so a self-paced learner's bundle stays small.
 */

const en = {
  'join.title': 'Join a workshop',
  'join.intro': 'Enter the code your instructor gave you and the name they will see.',
  'join.code': 'Workshop code',
  'join.name': 'Your name',
  'join.submit': 'Join',
  'join.joining': 'Joining…',
  'join.error.unknown_code': 'No workshop has this code. Check it with your instructor.',
  'join.error.workshop_ended': 'This workshop has ended.',
  'join.error.name_taken': 'Someone already uses this name here. Add an initial or a number.',
  'join.error.workshop_full': 'This workshop is full. Ask your instructor for a seat.',
  'join.error.other': 'Could not join: {message}',
  'banner.workshop': 'Workshop: {title}',
  'banner.endsIn': 'ends in {minutes} min',
  'banner.ended': 'The workshop has ended. You can keep learning on your own.',
  'banner.message': 'Message from your instructor',
  'banner.dismiss': 'Dismiss',
  'admin.title': 'Workshop dashboard',
  'admin.token': 'Admin token',
  'admin.tokenHelp': 'Run `npx handson admin-token` on the server to see it.',
  'admin.signIn': 'Open the dashboard',
  'admin.badToken': 'That is not the admin token.',
  'admin.create': 'New workshop',
  'admin.wsTitle': 'Title',
  'admin.lessons': 'Lessons',
  'admin.duration': 'Duration (minutes)',
  'admin.max': 'Learners at most',
  'admin.createSubmit': 'Create workshop',
  'admin.workshops': 'Workshops',
  'admin.none': 'No workshops yet.',
  'admin.open': 'Open',
  'admin.code': 'Join code',
  'admin.joinLink': 'Join link',
  'admin.copy': 'Copy link',
  'admin.copied': 'Copied',
  'admin.learners': '{n} of {max} learners',
  'admin.endsAt': 'Ends at {time}',
  'admin.ended': 'Ended',
  'admin.live': 'Live',
  'admin.reconnecting': 'Reconnecting…',
  'admin.noLearners': 'Nobody has joined yet. Share the code or the link.',
  'admin.learner': 'Learner',
  'admin.onStep': 'On step',
  'admin.stuck': 'stuck',
  'admin.cell.done': 'done',
  'admin.cell.failing': 'failing',
  'admin.cell.working': 'working on it',
  'admin.cell.todo': 'not yet',
  'admin.minutes': '{n} min',
  'admin.finished': 'finished',
  'admin.watch': 'Watch {name}',
  'admin.readOnly': "Read-only view of {name}'s terminal",
  'admin.reset': 'Reset sandbox',
  'admin.confirmReset': 'Give {name} a fresh, empty sandbox? Their containers and files are lost.',
  'admin.moveTo': 'Move to step',
  'admin.move': 'Move',
  'admin.more': '+15 min',
  'admin.close': 'Close',
  'admin.broadcast': 'Message to everyone',
  'admin.send': 'Send',
  'admin.sent': 'Sent',
  'admin.end': 'End workshop',
  'admin.confirmEnd': "End the workshop now? Every learner's sandbox is removed.",
  'admin.csv': 'Download results (CSV)',
  'admin.done': 'Done',
  'admin.failed': 'Failed: {message}',
  'admin.lastFailure': 'Last failed check: {message}',
};

type Key = keyof typeof en;

const ja: Record<Key, string> = {
  'join.title': 'ワークショップに参加する',
  'join.intro': '講師から伝えられたコードと、講師の画面に表示される名前を入力してください。',
  'join.code': 'ワークショップのコード',
  'join.name': 'あなたの名前',
  'join.submit': '参加する',
  'join.joining': '参加しています…',
  'join.error.unknown_code':
    'このコードのワークショップはありません。講師にコードを確認してください。',
  'join.error.workshop_ended': 'このワークショップは終了しました。',
  'join.error.name_taken': 'この名前はすでに使われています。イニシャルや番号を足してください。',
  'join.error.workshop_full': 'このワークショップは満員です。講師に相談してください。',
  'join.error.other': '参加できませんでした: {message}',
  'banner.workshop': 'ワークショップ: {title}',
  'banner.endsIn': '残り {minutes} 分',
  'banner.ended': 'ワークショップは終了しました。このまま自習を続けられます。',
  'banner.message': '講師からのメッセージ',
  'banner.dismiss': '閉じる',
  'admin.title': 'ワークショップのダッシュボード',
  'admin.token': '管理トークン',
  'admin.tokenHelp': 'サーバーで `npx handson admin-token` を実行すると表示されます。',
  'admin.signIn': 'ダッシュボードを開く',
  'admin.badToken': '管理トークンが違います。',
  'admin.create': '新しいワークショップ',
  'admin.wsTitle': 'タイトル',
  'admin.lessons': 'レッスン',
  'admin.duration': '時間 (分)',
  'admin.max': '最大人数',
  'admin.createSubmit': 'ワークショップを作成',
  'admin.workshops': 'ワークショップ一覧',
  'admin.none': 'ワークショップはまだありません。',
  'admin.open': '開く',
  'admin.code': '参加コード',
  'admin.joinLink': '参加リンク',
  'admin.copy': 'リンクをコピー',
  'admin.copied': 'コピーしました',
  'admin.learners': '{n} / {max} 人',
  'admin.endsAt': '{time} に終了',
  'admin.ended': '終了',
  'admin.live': 'ライブ',
  'admin.reconnecting': '再接続しています…',
  'admin.noLearners': 'まだ誰も参加していません。コードかリンクを共有してください。',
  'admin.learner': '受講者',
  'admin.onStep': '現在のステップ',
  'admin.stuck': 'つまずき中',
  'admin.cell.done': '完了',
  'admin.cell.failing': 'チェック失敗',
  'admin.cell.working': '取り組み中',
  'admin.cell.todo': '未着手',
  'admin.minutes': '{n} 分',
  'admin.finished': '全ステップ完了',
  'admin.watch': '{name} さんを見る',
  'admin.readOnly': '{name} さんのターミナル (閲覧のみ)',
  'admin.reset': 'サンドボックスをリセット',
  'admin.confirmReset':
    '{name} さんのサンドボックスを空の状態に戻しますか? コンテナとファイルは失われます。',
  'admin.moveTo': 'ステップへ移動',
  'admin.move': '移動',
  'admin.more': '+15 分',
  'admin.close': '閉じる',
  'admin.broadcast': '全員へのメッセージ',
  'admin.send': '送信',
  'admin.sent': '送信しました',
  'admin.end': 'ワークショップを終了',
  'admin.confirmEnd': 'ワークショップを今すぐ終了しますか? 全員のサンドボックスが削除されます。',
  'admin.csv': '結果をダウンロード (CSV)',
  'admin.done': '完了しました',
  'admin.failed': '失敗しました: {message}',
  'admin.lastFailure': '最後に失敗したチェック: {message}',
};

const dictionaries: Record<Lang, Record<Key, string>> = { en, ja };

/**
 * A workshop string in `lang`, with `{name}` placeholders filled.
 *
 * @example
 * wt('ja', 'admin.learners', { n: 3, max: 30 }) // '3 / 30 人'
 */
export function wt(lang: Lang, key: Key, params: Record<string, string | number> = {}): string {
  return dictionaries[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

export type WorkshopMessageKey = Key;

/** Every key, so a test proves both languages are complete. */
export function workshopMessageKeys(): Key[] {
  return Object.keys(en) as Key[];
}
