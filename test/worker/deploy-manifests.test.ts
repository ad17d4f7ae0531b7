import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { makeTestApp } from '../helpers.ts';

const ROOT = join(import.meta.dirname, '../..');
const K8S = join(ROOT, 'deploy/k8s');

/** Manifests are checked field by field below. */
type Manifest = any;

const manifests: Array<{ file: string; m: Manifest }> = readdirSync(K8S)
  .filter((f) => f.endsWith('.json'))
  .map((file) => ({ file, m: JSON.parse(readFileSync(join(K8S, file), 'utf8')) }));
const byKind = (kind: string) => manifests.filter((x) => x.m.kind === kind).map((x) => x.m);
const deployment = (name: string) => byKind('Deployment').find((d) => d.metadata.name === name);
const config = readFileSync(join(ROOT, 'src/config.ts'), 'utf8');

/** The shape Kubernetes requires of each kind used here (what `kubectl apply --dry-run` would refuse first). */
const KINDS: Record<string, string> = { Deployment: 'apps/v1', Service: 'v1', PodDisruptionBudget: 'policy/v1', Secret: 'v1' };

describe('deploy/: Kubernetes manifests and the compose file', () => {
  it('each manifest is a known kind at its API version, with a valid name and labels that select its pods', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(5);
    for (const { file, m } of manifests) {
      expect(KINDS[m.kind], `${file}: kind ${m.kind}`).toBeDefined();
      expect(m.apiVersion, file).toBe(KINDS[m.kind]);
      expect(m.metadata.name, file).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
      if (m.kind === 'Deployment') {
        expect(m.spec.template.metadata.labels, file).toMatchObject(m.spec.selector.matchLabels);
        for (const c of m.spec.template.spec.containers) {
          expect(c.image, file).toBeTruthy();
          // The command the container runs is one the CLI has.
          expect(existsSync(join(ROOT, 'src/cli/commands', `${c.args[0]}.ts`)), `${file}: afin ${c.args[0]}`).toBe(true);
          for (const e of c.env) if (e.name.startsWith('AFIN_')) expect(config, `${file}: ${e.name} is read by config.ts`).toContain(`env.${e.name}`);
          for (const e of c.env) if (e.valueFrom) expect(byKind('Secret').map((s) => s.metadata.name)).toContain(e.valueFrom.secretKeyRef.name);
        }
      }
    }
  });

  it("each manifest passes Kubernetes' own OpenAPI schema for its kind (kubernetes-models, offline)", () => {
    const models: Record<string, new (m: Manifest) => { validate(): void }> = { Deployment, Service, PodDisruptionBudget, Secret };
    for (const { file, m } of manifests) expect(() => new models[m.kind](m).validate(), file).not.toThrow();
    // The validator does refuse what the API server would: a port number given as text, a probe without its port.
    const bad = structuredClone(deployment('afin-api'));
    bad.spec.template.spec.containers[0].ports[0].containerPort = '7070x';
    expect(() => new Deployment(bad).validate()).toThrow(/containerPort must be integer/);
    bad.spec.template.spec.containers[0].ports[0].containerPort = 7070;
    delete bad.spec.template.spec.containers[0].readinessProbe.httpGet.port;
    expect(() => new Deployment(bad).validate()).toThrow(/readinessProbe\/httpGet must have required property port/);
  });

  it('the API deployment is probed on routes the app answers: /readyz for readiness, /health for liveness', async () => {
    const api = deployment('afin-api');
    const c = api.spec.template.spec.containers[0];
    expect(c.args).toEqual(['serve']);
    expect(c.readinessProbe.httpGet.path).toBe('/readyz');
    expect(c.livenessProbe.httpGet.path).toBe('/health');
    expect(c.ports.map((p: { name: string }) => p.name)).toContain(c.readinessProbe.httpGet.port);
    const t = await makeTestApp();
    try {
      for (const probe of [c.readinessProbe, c.livenessProbe, c.startupProbe])
        expect((await t.app.inject({ method: 'GET', url: probe.httpGet.path })).statusCode, probe.httpGet.path).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('disruption budgets keep an API pod serving and a worker working, and select real pods', () => {
    const pdbs = byKind('PodDisruptionBudget');
    const api = deployment('afin-api');
    const worker = deployment('afin-worker');
    const apiPdb = pdbs.find((p) => p.metadata.name === 'afin-api');
    expect(apiPdb.spec.selector.matchLabels).toEqual(api.spec.selector.matchLabels);
    expect(apiPdb.spec.minAvailable).toBeGreaterThanOrEqual(1);
    expect(apiPdb.spec.minAvailable).toBeLessThan(api.spec.replicas); // else a node could never be drained
    const workerPdb = pdbs.find((p) => p.metadata.name === 'afin-worker');
    expect(workerPdb.spec.selector.matchLabels).toEqual(worker.spec.selector.matchLabels);
    expect(workerPdb.spec.maxUnavailable).toBeLessThan(worker.spec.replicas);
  });

  it('a worker gets time to finish its job on SIGTERM: grace period above the ack wait', () => {
    const w = deployment('afin-worker').spec.template.spec;
    const args: string[] = w.containers[0].args;
    expect(args[0]).toBe('worker');
    const ackWait = Number(args[args.indexOf('--ack-wait') + 1]);
    expect(w.terminationGracePeriodSeconds).toBeGreaterThan(ackWait);
  });

  it('the compose file runs the same two roles on external-style PostgreSQL and NATS with JetStream', () => {
    const compose = readFileSync(join(ROOT, 'deploy/compose.yaml'), 'utf8');
    for (const s of ['api:', 'worker:', 'postgres:', 'nats:']) expect(compose).toContain(`\n  ${s}`);
    expect(compose).toContain('command: ["serve"]');
    expect(compose).toMatch(/command: \["worker"/);
    expect(compose).toContain('/readyz');
    expect(compose).toMatch(/command: \["-js"/);
    for (const v of compose.match(/AFIN_[A-Z_]+/g) ?? []) expect(config).toContain(`env.${v}`);
  });
});
