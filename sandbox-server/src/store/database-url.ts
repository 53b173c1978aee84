/**
 * Whether `HANDSON_DATABASE` names a PostgreSQL database (`postgres://…` or `postgresql://…`)
 * rather than a SQLite file.
 *
 * @example
 * isPostgresUrl('postgres://handson@127.0.0.1:5433/handson') // true
 * isPostgresUrl('/var/lib/handson/handson.sqlite')           // false
 */
export function isPostgresUrl(database: string): boolean {
  return /^postgres(ql)?:\/\//i.test(database);
}

/**
 * The database as messages may show it: a URL without its password.
 *
 * @example
 * displayDatabase('postgres://handson:s3cret@127.0.0.1:5433/handson')
 * // 'postgres://handson:***@127.0.0.1:5433/handson'
 */
export function displayDatabase(database: string): string {
  if (!isPostgresUrl(database)) return database;
  try {
    const url = new URL(database);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'the PostgreSQL URL in HANDSON_DATABASE (it does not parse)';
  }
}
