import { describe, expect, it } from 'vitest';
import { refusals } from './admission.ts';
import { find, loadFile, type Manifest } from './manifests.ts';

const admission = loadFile('sandbox-admission.yaml');
const policy = find(admission, 'ValidatingAdmissionPolicy', 'handson-sandbox-pods');
const binding = find(admission, 'ValidatingAdmissionPolicyBinding', 'handson-sandbox-pods');
const [template] = loadFile('sandbox-pod.yaml') as [Manifest];
const { file: _file, ...pod } = template;
/** A pod spec as read from YAML (untyped; the schema spec checks its shape). */
type PodSpec = Manifest['spec'];

/** The template with `change` applied to a deep copy of it. */
function variant(change: (spec: PodSpec) => unknown): unknown {
  const copy = structuredClone(pod);
  change(copy.spec);
  return copy;
}

describe('the admission policy of the sandbox namespace', () => {
  it('guards the namespace the sandbox pods are made in', () => {
    expect(binding.spec.policyName).toBe(policy.metadata.name);
    expect(binding.spec.validationActions).toEqual(['Deny']);
    expect(binding.spec.matchResources.namespaceSelector.matchLabels).toEqual({
      'kubernetes.io/metadata.name': template.metadata.namespace,
    });
    expect(policy.spec.failurePolicy).toBe('Fail');
  });

  it('admits the sandbox pod template', () => {
    expect(refusals(policy, pod)).toEqual([]);
  });

  it.each([
    ['a pod in the node user namespace', (s: PodSpec) => (s.hostUsers = true), /hostUsers/],
    ['a pod that does not say hostUsers', (s: PodSpec) => delete s.hostUsers, /hostUsers/],
    [
      'a privileged container',
      (s: PodSpec) => (s.containers[0].securityContext.privileged = true),
      /privileged/,
    ],
    [
      'a privileged init container',
      (s: PodSpec) => (s.initContainers[0].securityContext.privileged = true),
      /privileged/,
    ],
    [
      'another capability',
      (s: PodSpec) => s.containers[0].securityContext.capabilities.add.push('SYS_PTRACE'),
      /adds only/,
    ],
    ['the node network', (s: PodSpec) => (s.hostNetwork = true), /namespace with its node/],
    ['the node process list', (s: PodSpec) => (s.hostPID = true), /namespace with its node/],
    [
      'a host path',
      (s: PodSpec) => s.volumes.push({ name: 'root', hostPath: { path: '/' } }),
      /hostPath/,
    ],
    [
      'a Secret',
      (s: PodSpec) => s.volumes.push({ name: 't', secret: { secretName: 'x' } }),
      /Secret/,
    ],
    ['an API token', (s: PodSpec) => delete s.automountServiceAccountToken, /API token/],
    ['another runtime', (s: PodSpec) => (s.runtimeClassName = 'runc'), /runtime class/],
    ['a chosen node', (s: PodSpec) => (s.nodeName = 'node-1'), /scheduler/],
    [
      'no seccomp for one container',
      (s: PodSpec) => (s.containers[0].securityContext.seccompProfile = { type: 'Unconfined' }),
      /seccomp/,
    ],
  ])('refuses %s', (_what, change, reason) => {
    const refused = refusals(policy, variant(change));
    expect(
      refused.some((message) => reason.test(message)),
      refused.join(' | '),
    ).toBe(true);
  });
});
