import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../sandbox-server/src/config.ts';
import {
  applyCpuWeight,
  applyMemoryCap,
  cgroupVersion,
  currentMemoryCap,
  sandboxMemoryCap,
} from '../../../sandbox-server/src/engine/cgroup.ts';

const GiB = 1024 ** 3;
const cfg = loadConfig({});

describe('sandbox memory cap', () => {
  it('defaults to total RAM minus 2 GiB', () => {
    expect(sandboxMemoryCap({}, 24 * GiB)).toBe(22 * GiB);
  });

  it('never goes below 512 MiB on a small machine', () => {
    expect(sandboxMemoryCap({}, 2 * GiB)).toBe(512 * 1024 ** 2);
  });

  it('takes HANDSON_SANDBOX_MEMORY_MAX with a unit', () => {
    expect(sandboxMemoryCap({ HANDSON_SANDBOX_MEMORY_MAX: '8G' })).toBe(8 * GiB);
    expect(sandboxMemoryCap({ HANDSON_SANDBOX_MEMORY_MAX: '1536M' })).toBe(1536 * 1024 ** 2);
    expect(() => sandboxMemoryCap({ HANDSON_SANDBOX_MEMORY_MAX: 'lots' })).toThrow(/not a size/);
  });

  it('is written to the cgroup v1 memory hierarchy of the cgroup parent', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgroup-v1-'));
    fs.mkdirSync(path.join(root, 'memory'));
    expect(cgroupVersion(root)).toBe(1);
    applyMemoryCap(cfg, 3 * GiB, root);
    expect(
      fs.readFileSync(path.join(root, 'memory', 'handson', 'memory.limit_in_bytes'), 'utf8'),
    ).toBe(String(3 * GiB));
    expect(currentMemoryCap(cfg, root)).toBe(3 * GiB);
  });

  it('on cgroup v2 enables the memory controller for children and writes memory.max', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgroup-v2-'));
    fs.writeFileSync(path.join(root, 'cgroup.controllers'), 'cpu io memory pids');
    fs.writeFileSync(path.join(root, 'cgroup.subtree_control'), 'cpu');
    expect(cgroupVersion(root)).toBe(2);
    applyMemoryCap(cfg, 2 * GiB, root);
    expect(fs.readFileSync(path.join(root, 'cgroup.subtree_control'), 'utf8')).toBe('+memory');
    expect(fs.readFileSync(path.join(root, 'handson', 'memory.max'), 'utf8')).toBe(String(2 * GiB));
  });

  it('reads "max" as no cap', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgroup-v2-'));
    fs.writeFileSync(path.join(root, 'cgroup.controllers'), 'memory');
    fs.mkdirSync(path.join(root, 'handson'));
    fs.writeFileSync(path.join(root, 'handson', 'memory.max'), 'max\n');
    expect(currentMemoryCap(cfg, root)).toBeUndefined();
  });
});

describe('sandbox CPU weight', () => {
  it('gives all sandboxes together half the weight of one process outside them (v1)', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgroup-v1-'));
    fs.mkdirSync(path.join(root, 'cpu'));
    applyCpuWeight(cfg, root);
    expect(fs.readFileSync(path.join(root, 'cpu', 'handson', 'cpu.shares'), 'utf8')).toBe('512');
  });

  it('on cgroup v2 writes cpu.weight below the default of 100', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'cgroup-v2-'));
    fs.writeFileSync(path.join(root, 'cgroup.controllers'), 'cpu memory');
    fs.writeFileSync(path.join(root, 'cgroup.subtree_control'), 'memory');
    applyCpuWeight(cfg, root);
    expect(fs.readFileSync(path.join(root, 'handson', 'cpu.weight'), 'utf8')).toBe('50');
    expect(fs.readFileSync(path.join(root, 'cgroup.subtree_control'), 'utf8')).toBe('+cpu');
  });
});
