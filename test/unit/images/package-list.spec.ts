import { describe, expect, it } from 'vitest';
import {
  aptPackagesInDockerfile,
  repositoryPackages,
} from '../../../sandbox-server/src/images/package-list.ts';

describe('packages named in a Dockerfile', () => {
  it('reads apt-get install across continuation lines, without options', () => {
    const dockerfile = [
      'FROM debian:bookworm',
      'RUN apt-get update \\',
      ' && apt-get install -y --no-install-recommends \\',
      '      docker.io iptables \\',
      '      tini \\',
      ' && rm -rf /var/lib/apt/lists/*',
    ].join('\n');
    expect(aptPackagesInDockerfile(dockerfile)).toEqual(['docker.io', 'iptables', 'tini']);
  });

  it('drops version pins and shell variables, and reads `apt install` too', () => {
    expect(
      aptPackagesInDockerfile('RUN apt install -y curl=7.88.1-10 $EXTRA less; echo done'),
    ).toEqual(['curl', 'less']);
  });

  it('finds nothing in a Dockerfile that installs nothing', () => {
    expect(aptPackagesInDockerfile('FROM busybox:latest\nCOPY hello /hello\n')).toEqual([]);
  });
});

describe('the repository package list', () => {
  it('holds the lesson packages, what the sandbox needs and what the recipes install, once each', () => {
    const list = repositoryPackages([
      'RUN apt-get install -y socat figlet',
      'RUN apt-get install -y curl',
    ]);
    expect(list).toEqual(
      expect.arrayContaining([
        'cowsay',
        'nginx-light',
        'docker.io',
        'tini',
        'busybox-static',
        'figlet',
      ]),
    );
    expect(list.filter((name) => name === 'curl')).toHaveLength(1);
    expect(list).toEqual([...list].sort());
  });
});
