import { startSandbox } from '/work/main/test/integration/checks/sandbox-fixture.ts';
import { shellCommand, terminalEnv } from '/work/main/sandbox-server/src/terminal/shell-command.ts';
const { sandbox, stop } = await startSandbox('tty');
try {
  for (const [label, cmd] of [['shell', shellCommand('t1', 120, 40)], ['shell2', shellCommand('t2', 120, 40)], ['bash-norc', ['bash','--norc','-i']], ['bash-i', ['bash','-i']]] as const) {
    const t0 = performance.now();
    const tty = await sandbox.openTty({ cmd: [...cmd], cols: 120, rows: 40, env: terminalEnv() });
    const t1 = performance.now();
    let out = '';
    const marks: string[] = [];
    const prompt = await new Promise<number>((r) => tty.onData((b) => { out += b.toString(); marks.push(`${Math.round(performance.now()-t0)}:${b.length}`); if (/[#$] $/.test(out)) r(performance.now()); }));
    console.log(label, 'openTty', Math.round(t1 - t0), 'prompt', Math.round(prompt - t0), marks.join(' '), JSON.stringify(out.slice(0,200)));
    await tty.kill();
  }
  const r = await sandbox.exec(['sh','-c','cat /root/.bashrc /etc/bash.bashrc 2>/dev/null | grep -v "^#" | grep -v "^$" | head -40; ls /etc/bash_completion.d /usr/share/bash-completion 2>/dev/null | head']);
  console.log(r.stdout);
} finally { await stop(); }
