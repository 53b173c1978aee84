import { describe, expect, it } from 'vitest';
import { LABELS, loadConfig } from '../../../../sandbox-server/src/config.ts';
import { SANDBOX_KIND } from '../../../../sandbox-server/src/sandbox/dind/dind-driver.ts';
import { DISK_MOUNTS } from '../../../../sandbox-server/src/sandbox/dind/disk.ts';
import { sandboxLimits } from '../../../../sandbox-server/src/sandbox/dind/limits.ts';
import {
  DEFAULT_LIMITS,
  SANDBOX_HOSTNAME,
  SANDBOX_IMAGE,
  sandboxContainerOptions,
} from '../../../../sandbox-server/src/sandbox/dind/profile.ts';
import { userLimitsScript } from '../../../../sandbox-server/src/sandbox/dind/user-limits.ts';
import { WORKSPACE } from '../../../../sandbox-server/src/sandbox/driver.ts';
import { healthRoutes } from '../../../../sandbox-server/src/server/healthz.ts';
import { loadSessionSettings } from '../../../../sandbox-server/src/sessions/settings.ts';
import { unknownFields } from './known-fields.ts';
import { find, loadFile, type Manifest, manifestFiles } from './manifests.ts';
import { quantity } from './quantity.ts';

// Offline: no cluster here. The schemas are those of kubernetes-models 4.5.1 (Kubernetes 1.33,
// the oldest version the design supports); admission policies' CEL and the network plugin's
// enforcement cannot be run here (sandbox-server/docs/SCALE.md, "What is proved where").

const KUSTOMIZATION = 'kustomization.yaml';
const SANDBOX_TEMPLATE = 'sandbox-pod.yaml';
const resourceFiles = manifestFiles().filter((f) => f !== KUSTOMIZATION);
const all: Manifest[] = resourceFiles.flatMap(loadFile);
const [pod] = loadFile(SANDBOX_TEMPLATE) as [Manifest];
const sandbox = pod.spec.containers.find((c: { name: string }) => c.name === 'sandbox');
const initContainer = pod.spec.initContainers[0];
const server = find(all, 'Deployment', 'handson-server');
const serverContainer = server.spec.template.spec.containers[0];
const serverConfig = find(all, 'ConfigMap', 'handson-server').data as Record<string, string>;

/** The kubernetes-models class of a document's apiVersion and kind. */
async function modelOf(m: Manifest): Promise<new (data: unknown) => { validate(): void }> {
  const module = await import(
    /* @vite-ignore */ `kubernetes-models/${m.apiVersion}/${m.kind}`
  ).catch(() => ({}));
  const model = (module as Record<string, unknown>)[m.kind];
  if (typeof model !== 'function')
    throw new Error(`${m.file}: no schema for ${m.apiVersion} ${m.kind}`);
  return model as new (
    data: unknown,
  ) => { validate(): void };
}

describe('the Kubernetes manifests, against the Kubernetes schemas', () => {
  it('holds a document of every kind the design ships', () => {
    const kinds = new Set(all.map((m) => m.kind));
    for (const kind of [
      'Namespace',
      'ServiceAccount',
      'Role',
      'RoleBinding',
      'ConfigMap',
      'Deployment',
      'Service',
      'PodDisruptionBudget',
      'NetworkPolicy',
      'Pod',
      'RuntimeClass',
      'LimitRange',
      'ResourceQuota',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
  });

  it('validates every document by its apiVersion and kind', async () => {
    for (const m of all) {
      const { file: _file, ...doc } = m;
      const Model = await modelOf(m);
      expect(
        () => new Model(doc).validate(),
        `${m.file} ${m.kind} ${m.metadata.name}`,
      ).not.toThrow();
    }
  });

  it('uses no field the schema does not know (a typo would be dropped silently)', () => {
    // With one misspelt copy of the sandbox pod, to prove the check names what it finds.
    const typo = { ...pod, metadata: { name: 'typo' }, spec: { ...pod.spec, hostUser: false } };
    const found = unknownFields([...all, typo]);
    expect(found.filter((f) => !f.startsWith('sandbox-pod.yaml Pod typo:'))).toEqual([]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/"hostUser"/);
  }, 60_000);

  it('knows hostUsers in this schema version, and refuses a value that is not a boolean', async () => {
    const Model = await modelOf(pod);
    const { file: _file, ...doc } = pod;
    expect(() =>
      new Model({ ...doc, spec: { ...doc.spec, hostUsers: 'false' } }).validate(),
    ).toThrow(/hostUsers/);
  });

  it('puts every namespaced document in one of the two namespaces it makes', () => {
    const clusterWide = [
      'Namespace',
      'RuntimeClass',
      'ValidatingAdmissionPolicy',
      'ValidatingAdmissionPolicyBinding',
    ];
    const namespaces = all.filter((m) => m.kind === 'Namespace').map((m) => m.metadata.name);
    expect(namespaces.sort()).toEqual(['handson', 'handson-sandboxes']);
    for (const m of all) {
      if (clusterWide.includes(m.kind))
        expect(m.metadata.namespace, m.metadata.name).toBeUndefined();
      else
        expect(namespaces, `${m.file} ${m.kind} ${m.metadata.name}`).toContain(
          m.metadata.namespace,
        );
    }
  });

  it('lists every manifest in the kustomization, and the sandbox template only as a file for the server', () => {
    const [kustomization] = loadFile(KUSTOMIZATION) as [Manifest];
    const generated = kustomization.configMapGenerator.flatMap((g: { files: string[] }) => g.files);
    expect(generated).toEqual([SANDBOX_TEMPLATE]);
    expect([...kustomization.resources].sort()).toEqual(
      resourceFiles.filter((f) => f !== SANDBOX_TEMPLATE),
    );
    const mounted = server.spec.template.spec.volumes.map(
      (v: { configMap?: { name: string } }) => v.configMap?.name,
    );
    expect(mounted).toContain(kustomization.configMapGenerator[0].name);
  });
});

describe('the sandbox pod template, against the dind driver it translates', () => {
  const profile = sandboxContainerOptions({
    name: 'x',
    image: SANDBOX_IMAGE,
    hostDir: '/x',
    diskMount: '/d',
    limits: DEFAULT_LIMITS,
    labels: {},
    env: {},
  });

  it("carries the project's labels, image, hostname and workspace", () => {
    expect(Object.keys(pod.metadata.labels ?? {}).sort()).toEqual(
      [LABELS.managed, LABELS.kind, LABELS.session, 'dev.handson.sandbox'].sort(),
    );
    expect(pod.metadata.labels?.[LABELS.managed]).toBe('true');
    expect(pod.metadata.labels?.[LABELS.kind]).toBe(SANDBOX_KIND);
    for (const c of [...pod.spec.containers, ...pod.spec.initContainers]) {
      expect(c.image, c.name).toBe(SANDBOX_IMAGE);
    }
    expect(pod.spec.hostname).toBe(SANDBOX_HOSTNAME);
    expect(sandbox.workingDir).toBe(WORKSPACE);
  });

  it('runs in its own user namespace, never privileged, with the capabilities of the dind profile', () => {
    expect(pod.spec.hostUsers).toBe(false);
    for (const c of [...pod.spec.containers, ...pod.spec.initContainers]) {
      expect(c.securityContext?.privileged ?? false, c.name).toBe(false);
    }
    expect(sandbox.securityContext.capabilities.add).toEqual(profile.HostConfig?.CapAdd);
    expect(sandbox.securityContext.readOnlyRootFilesystem).toBe(profile.HostConfig?.ReadonlyRootfs);
    expect(pod.spec.securityContext.sysctls).toEqual(
      Object.entries(profile.HostConfig?.Sysctls ?? {}).map(([name, value]) => ({ name, value })),
    );
    expect(pod.spec.automountServiceAccountToken).toBe(false);
    expect(pod.spec.restartPolicy).toBe('Never');
  });

  it('has the default limits of limits.ts, and the ConfigMap and LimitRange say the same', () => {
    const defaults = sandboxLimits({});
    expect(quantity(sandbox.resources.limits.cpu)).toBe(defaults.cpus);
    expect(quantity(sandbox.resources.limits.memory)).toBe(defaults.memoryBytes);
    const disk = pod.spec.volumes.find((v: { name: string }) => v.name === 'disk');
    expect(quantity(disk.ephemeral.volumeClaimTemplate.spec.resources.requests.storage)).toBe(
      defaults.diskBytes,
    );
    expect(quantity(sandbox.resources.requests.memory)).toBe(
      loadSessionSettings({}).workingSetBytes,
    );
    expect(sandboxLimits(serverConfig)).toEqual(defaults);
    const ceilings = find(all, 'LimitRange', 'sandbox-ceilings').spec.limits;
    const container = ceilings.find((l: { type: string }) => l.type === 'Container');
    expect(quantity(container.max.cpu)).toBe(defaults.cpus);
    expect(quantity(container.max.memory)).toBe(defaults.memoryBytes);
    const claim = ceilings.find((l: { type: string }) => l.type === 'PersistentVolumeClaim');
    expect(quantity(claim.max.storage)).toBe(defaults.diskBytes);
  });

  it("mounts the disk's folders where the dind driver mounts its quota disk", () => {
    const mounts = Object.fromEntries(
      sandbox.volumeMounts
        .filter((m: { name: string }) => m.name === 'disk')
        .map((m: { subPath: string; mountPath: string }) => [m.subPath, m.mountPath]),
    );
    expect(mounts).toEqual(DISK_MOUNTS);
  });

  it('bounds the per-user kernel counts with the script user-limits.ts runs from the host', () => {
    expect(initContainer.command).toEqual(['sh', '-c', userLimitsScript()]);
    expect(initContainer.securityContext.capabilities).toEqual({
      drop: ['ALL'],
      add: ['SYS_RESOURCE'],
    });
  });

  it('runs with the runtime class the manifests define', () => {
    expect(pod.spec.runtimeClassName).toBe(
      find(all, 'RuntimeClass', 'handson-sandbox').metadata.name,
    );
    expect(pod.metadata.namespace).toBe(serverConfig.HANDSON_SANDBOX_NAMESPACE);
  });
});

describe('the server tier', () => {
  it('is ready when /healthz answers, on the port the server listens on', async () => {
    const probe = serverContainer.readinessProbe.httpGet;
    expect(probe.path).toBe('/healthz');
    const port = serverContainer.ports.find((p: { name: string }) => p.name === probe.port);
    expect(port.containerPort).toBe(
      loadConfig({ HANDSON_PORT: serverConfig.HANDSON_PORT }).serve.port,
    );
    // The route exists (with no dependencies to ask it answers 200).
    expect((await healthRoutes([]).request('/healthz')).status).toBe(200);
  });

  it('may manage exactly pods and run commands in them, in the sandbox namespace only', () => {
    const role = find(all, 'Role', 'handson-sandboxes');
    expect(role.metadata.namespace).toBe(serverConfig.HANDSON_SANDBOX_NAMESPACE);
    const resources = role.rules.flatMap((r: { resources: string[] }) => r.resources).sort();
    expect(resources).toEqual(['pods', 'pods/exec']);
    expect(JSON.stringify(role.rules)).not.toContain('*');
    const binding = find(all, 'RoleBinding', 'handson-server');
    expect(binding.roleRef.name).toBe(role.metadata.name);
    expect(binding.subjects).toEqual([
      {
        kind: 'ServiceAccount',
        name: server.spec.template.spec.serviceAccountName,
        namespace: 'handson',
      },
    ]);
    expect(all.some((m) => m.kind === 'ClusterRole' || m.kind === 'ClusterRoleBinding')).toBe(
      false,
    );
  });

  it('lets only the replicas reach a sandbox, and a sandbox only the two mirrors on their ports', () => {
    const fromServer = find(all, 'NetworkPolicy', 'sandboxes-from-server').spec;
    expect(fromServer.podSelector.matchLabels).toEqual({ [LABELS.kind]: SANDBOX_KIND });
    expect(fromServer.ingress[0].from[0].podSelector.matchLabels).toEqual(
      server.spec.selector.matchLabels,
    );
    const toMirrors = find(all, 'NetworkPolicy', 'sandboxes-to-mirrors').spec;
    const ports = toMirrors.egress.flatMap((e: { ports: { port: number }[] }) =>
      e.ports.map((p) => p.port),
    );
    const cfg = loadConfig({});
    expect(ports).toEqual([cfg.registry.port, cfg.packages.port]);
    const registry = sandbox.env.find((e: { name: string }) => e.name === 'HANDSON_REGISTRY');
    expect(registry.value.endsWith(`:${cfg.registry.port}`)).toBe(true);
    const deny = find(all, 'NetworkPolicy', 'default-deny');
    expect(deny.spec.policyTypes).toEqual(['Ingress', 'Egress']);
  });
});
