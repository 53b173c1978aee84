import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayAddress, loadConfig } from '../../../sandbox-server/src/config.ts';
import type { DindDriver } from '../../../sandbox-server/src/sandbox/dind/dind-driver.ts';
import { firewallInstalled } from '../../../sandbox-server/src/sandbox/dind/firewall.ts';
import type { Sandbox } from '../../../sandbox-server/src/sandbox/driver.ts';
import { bootSandbox, dindDriver, sandboxAddress, sh } from './support.ts';

/** curl from inside a sandbox: prints the HTTP code, or "000" plus curl's exit code when refused. */
function curl(url: string): string {
  return `curl -s -o /dev/null -m 5 -w '%{http_code}' ${url}; echo " exit=$?"`;
}

describe('sandbox networks', () => {
  const cfg = loadConfig();
  const gateway = gatewayAddress(cfg);
  let driver: DindDriver;
  let a: Sandbox;
  let b: Sandbox;
  let hostService: net.Server;
  let hostPort = 0;

  beforeAll(async () => {
    driver = await dindDriver();
    [a, b] = await Promise.all([
      bootSandbox(driver, 'spec-net-a'),
      bootSandbox(driver, 'spec-net-b'),
    ]);
    // A host service on the sandbox gateway that is NOT the registry or the package repository.
    hostService = net.createServer((s) => s.end('secret\n'));
    await new Promise<void>((resolve) => hostService.listen(0, gateway, resolve));
    hostPort = (hostService.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    hostService?.close();
    await Promise.all([a, b].filter(Boolean).map((s) => driver.destroy(s.id)));
  });

  it('installs the project firewall chains on the host', async () => {
    expect(await firewallInstalled()).toBe(true);
  });

  it('reaches the local registry and package repository', async () => {
    expect((await sh(a, curl(`http://${gateway}:${cfg.registry.port}/v2/`))).stdout).toBe(
      '200 exit=0\n',
    );
    expect(
      (await sh(a, curl(`http://${gateway}:${cfg.packages.port}/debian/Release`))).stdout,
    ).toBe('200 exit=0\n');
  });

  it('is refused at once (not left to time out) by another host service', async () => {
    const started = Date.now();
    const res = await sh(a, curl(`http://${gateway}:${hostPort}/`));
    // curl exit 7: connection refused (the firewall's tcp-reset).
    expect(res.stdout).toBe('000 exit=7\n');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('cannot reach another sandbox, even on a port it listens on', async () => {
    await sh(b, 'nohup socat TCP-LISTEN:8088,reuseaddr,fork EXEC:"echo hi" >/dev/null 2>&1 &');
    await expect
      .poll(async () => (await sh(b, 'ss -ltn | grep -c :8088 || true')).stdout.trim())
      .toBe('1');
    // The positive control: the listener answers inside its own sandbox.
    expect((await sh(b, 'socat -T2 - TCP:127.0.0.1:8088')).stdout).toBe('hi\n');
    const addressB = await sandboxAddress(driver, b.id);
    const res = await sh(a, `socat -T2 - TCP:${addressB}:8088; echo "exit=$?"`);
    expect(res.stdout).toBe('exit=1\n');
    expect(res.stderr).toMatch(/Connection refused/);
    const ping = await sh(a, `ping -c1 -W2 ${addressB} >/dev/null 2>&1; echo $?`);
    expect(ping.stdout.trim()).not.toBe('0');
  });

  it('has no route to the outside world', async () => {
    // 192.0.2.1 is TEST-NET-1 (documentation space): never a real host; rejected by the host firewall.
    const res = await sh(a, `socat -T2 - TCP:192.0.2.1:80 </dev/null; echo "exit=$?"`);
    expect(res.stdout).toBe('exit=1\n');
    expect(res.stderr).toMatch(/Connection refused|unreachable/i);
  });

  it('publishes inner ports with -p (the inner engine manages its own iptables)', async () => {
    const run = await sh(
      a,
      'docker run -d --name web -p 8081:8080 busybox httpd -f -p 8080 -h /etc',
    );
    expect(run.exitCode, run.stderr).toBe(0);
    await expect
      .poll(async () => (await sh(a, curl('http://127.0.0.1:8081/hostname'))).stdout, {
        timeout: 15_000,
      })
      .toBe('200 exit=0\n');
  });
});
