/**
 * Split a shell-text solution into the units the shell runs one at a time: a line, a line
 * continued with `\`, or a heredoc up to its terminator. Each unit ends with one prompt, so
 * one completion marker.
 *
 * @example
 * shellUnits('docker ps\ncat <<EOF > f\nhi\nEOF\n')
 * // [['docker ps'], ['cat <<EOF > f', 'hi', 'EOF']]
 */
export function shellUnits(text: string): string[][] {
  const units: string[][] = [];
  let current: string[] = [];
  let heredoc: { word: string; strip: boolean } | undefined;
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (current.length === 0 && heredoc === undefined && line.trim() === '') continue;
    current.push(line);
    if (heredoc) {
      const candidate = heredoc.strip ? line.replace(/^\t+/, '') : line;
      if (candidate === heredoc.word) heredoc = undefined;
    } else {
      const opened = /<<(-?)\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\2/.exec(line);
      if (opened) heredoc = { word: opened[3]!, strip: opened[1] === '-' };
    }
    if (heredoc === undefined && !/\\$/.test(line)) {
      units.push(current);
      current = [];
    }
  }
  if (current.length > 0) units.push(current);
  return units;
}
