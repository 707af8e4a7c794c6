import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { botDeployScript } from './commands/deploy-commands-command.js';
import {
  ensureBuilt,
  freePort,
  isolatedEnv,
  pollUntil,
  REPO_ROOT,
  type WatchedProcess,
  watchProcess,
} from './test-support/processes.js';

// Docker cannot run here, so these check what can be checked without it: the compose file and the units
// name real commands and paths, and the image's commands work from a production install made as the
// Dockerfile makes it (the same `pnpm deploy --prod` lines, run into a temp dir instead of /out).

const dockerfile = readFileSync(join(REPO_ROOT, 'docker/Dockerfile'), 'utf8');
const compose = parse(readFileSync(join(REPO_ROOT, 'docker/docker-compose.yml'), 'utf8'), {
  merge: true,
}) as {
  services: Record<string, Record<string, unknown>>;
  volumes: Record<string, unknown>;
};

interface Healthcheck {
  test: string[];
  timeout: string;
}

describe('the Docker Compose file', () => {
  it('runs the api and the bot from one image, sharing a named volume, restarting, with env from .env', () => {
    const { api, bot } = compose.services;
    expect(Object.keys(compose.services).sort()).toEqual(['api', 'bot']);
    for (const service of [api!, bot!]) {
      expect(service.image).toBe('coachwire:latest');
      expect(service.build).toEqual({ context: '..', dockerfile: 'docker/Dockerfile' });
      expect(service.volumes).toEqual(['coachwire-data:/data']);
      expect(service.restart).toBe('unless-stopped');
      expect(service.env_file).toEqual([{ path: '../.env', required: false }]);
      expect((service.environment as Record<string, string>).DATABASE_PATH).toBe('/data/coach_plans.db');
    }
    expect(Object.keys(compose.volumes)).toEqual(['coachwire-data']);
    expect(api!.command).toEqual(['node', 'apps/api/dist/main.js']);
    expect(bot!.command).toEqual(['node', 'apps/bot/dist/main.js']);
    expect(existsSync(join(REPO_ROOT, 'docker', '..', 'docker/Dockerfile'))).toBe(true);
  });

  it('checks health with the coachwire command', () => {
    for (const service of Object.values(compose.services)) {
      const healthcheck = service.healthcheck as Healthcheck;
      expect(healthcheck.test.slice(0, 3)).toEqual(['CMD', 'coachwire', 'health']);
      // Longer than the command's own 5 s default: it gives up first and says why, instead of being killed.
      expect(healthcheck.timeout).toBe('10s');
    }
    expect(dockerfile).toContain('CMD ["coachwire", "health", "--url", "http://127.0.0.1:5000/health"]');
    expect(dockerfile).toContain('HEALTHCHECK --interval=30s --timeout=10s');
  });
});

describe('the scaled-out compose file (PostgreSQL, two API replicas behind a proxy, one bot)', () => {
  const scaled = parse(readFileSync(join(REPO_ROOT, 'docker/compose.scale.yml'), 'utf8'), {
    merge: true,
  }) as {
    services: Record<string, Record<string, unknown>>;
    volumes: Record<string, unknown>;
  };
  const env = (service: string) => scaled.services[service]!.environment as Record<string, string>;

  it('runs the same commands as the single-host file, on PostgreSQL, with shared chart storage', () => {
    expect(Object.keys(scaled.services).sort()).toEqual(['api', 'bot', 'postgres', 'proxy']);
    expect((scaled.services.api!.deploy as { replicas: number }).replicas).toBe(2);
    for (const service of ['api', 'bot']) {
      expect(scaled.services[service]!.command).toEqual(compose.services[service]!.command);
      expect(env(service).DATABASE_URL).toMatch(
        /^postgres:\/\/coachwire:\$\{POSTGRES_PASSWORD[^}]*\}@postgres:5432\/coachwire$/,
      );
      expect(env(service).CHARTS_DIR).toBe('/data/charts');
      expect(scaled.services[service]!.volumes).toEqual(['coachwire-charts:/data/charts']);
    }
    expect(env('api').API_TRUST_PROXY).toBe('true');
  });

  it('sends the proxy to the API replicas with buffering off for server-sent events', () => {
    const nginx = readFileSync(join(REPO_ROOT, 'docker/nginx.conf'), 'utf8');
    expect(nginx).toMatch(/server api:5000;/);
    expect(nginx).toMatch(/proxy_buffering off;/);
    expect(scaled.services.proxy!.volumes).toEqual(['./nginx.conf:/etc/nginx/conf.d/default.conf:ro']);
  });
});

describe('the systemd units', () => {
  for (const app of ['api', 'bot']) {
    it(`runs the ${app} sandboxed, restarting on failure, with an env file and writable data and logs`, () => {
      const unit = readFileSync(join(REPO_ROOT, `docker/systemd/coachwire-${app}.service`), 'utf8');
      const settings = new Map<string, string[]>();
      for (const line of unit.split('\n')) {
        const match = /^(\w+)=(.*)$/.exec(line.trim());
        if (match) settings.set(match[1]!, [...(settings.get(match[1]!) ?? []), match[2]!]);
      }
      const one = (key: string) => settings.get(key)?.[0];
      expect(one('Restart')).toBe('on-failure');
      expect(one('EnvironmentFile')).toBe('/etc/coachwire/coachwire.env');
      expect(one('NoNewPrivileges')).toBe('true');
      expect(one('ProtectSystem')).toBe('strict');
      const writable = one('ReadWritePaths')!.split(' ');
      const environment = new Map(
        settings.get('Environment')!.map((entry) => entry.split('=', 2) as [string, string]),
      );
      for (const key of ['DATABASE_PATH', 'LOG_FILE', 'CHARTS_DIR'])
        expect(writable.some((dir) => environment.get(key)!.startsWith(`${dir}/`))).toBe(true);
      // The env file is a copy of .env.example, and systemd lets it override Environment=: it must not set
      // what the unit sets, or the sandbox refuses the writes.
      const example = readFileSync(join(REPO_ROOT, '.env.example'), 'utf8');
      for (const key of environment.keys())
        expect(example, key).not.toMatch(new RegExp(`^\\s*(export\\s+)?${key}\\s*=`, 'm'));
      // /opt/coachwire is a checkout built with `pnpm install && pnpm build`: the paths are the repository's.
      const script = one('ExecStart')!.split(' ')[1]!.replace('/opt/coachwire/', '');
      expect(existsSync(join(REPO_ROOT, script))).toBe(true);
      // The apps migrate as they start. A migrate step before them would be restarted every RestartSec on a
      // configuration error (exit 2): RestartPreventExitStatus= applies to the main process only.
      expect(one('RestartPreventExitStatus')).toBe('2');
      expect(settings.has('ExecStartPre')).toBe(false);
    });
  }
});

describe('the image’s commands from a production install', { timeout: 180_000 }, () => {
  let out: string;
  const running: WatchedProcess[] = [];

  beforeAll(() => {
    ensureBuilt();
    out = mkdtempSync(join(tmpdir(), 'coachwire-image-'));
    const deploys = [...dockerfile.matchAll(/^RUN (pnpm --filter \S+ deploy .*)$/gm)].map(
      (match) => match[1]!,
    );
    expect(deploys).toHaveLength(3);
    // An empty metadata cache, as on a new machine: the deploy must need nothing but the lockfile and the
    // store that `pnpm install` filled. --offline: a test never reaches the registry.
    const emptyCache = join(out, '.pnpm-cache');
    for (const line of deploys) {
      const args = line.replace('/out/', `${out}/`).split(' ').slice(1);
      const deploy = spawnSync('pnpm', [...args, '--offline', `--config.cache-dir=${emptyCache}`], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
      // Show pnpm's own reason (e.g. ERR_PNPM_NO_OFFLINE_META), not just "Command failed".
      expect(deploy.status, `${line}\n${deploy.stdout}\n${deploy.stderr}`).toBe(0);
    }
    const cached = existsSync(emptyCache) ? readdirSync(emptyCache) : [];
    expect(cached.filter((entry) => entry.startsWith('metadata'))).toEqual([]);
  }, 180_000);
  afterAll(() => {
    for (const process of running) if (process.child.exitCode === null) process.child.kill('SIGKILL');
    rmSync(out, { recursive: true, force: true });
  });

  it('prunes to production dependencies and keeps the apps side by side', () => {
    for (const app of ['api', 'bot', 'cli']) {
      expect(existsSync(join(out, 'apps', app, 'dist', 'main.js'))).toBe(true);
      expect(existsSync(join(out, 'apps', app, 'node_modules', 'vitest'))).toBe(false);
      expect(existsSync(join(out, 'apps', app, 'node_modules', 'typescript'))).toBe(false);
    }
    expect(existsSync(join(out, 'apps', 'cli', 'node_modules', 'yaml'))).toBe(false);
    expect(existsSync(botDeployScript(join(out, 'apps', 'cli', 'dist', 'main.js')))).toBe(true);
  });

  it('migrates, serves the API, runs the mock bot and answers the health checks', async () => {
    const port = await freePort();
    const env = isolatedEnv(out, port);
    const cli = (...args: string[]) =>
      execFileSync(process.execPath, [join(out, 'apps/cli/dist/main.js'), ...args], {
        cwd: out,
        env,
        encoding: 'utf8',
      });
    expect(cli('db', 'migrate')).toContain('is up to date');

    // WORKDIR /app: the commands of the compose file, relative to the install.
    const command = (service: string) => (compose.services[service]!.command as string[]).slice(1);
    const api = watchProcess(process.execPath, command('api'), { cwd: out, env });
    running.push(api);
    const bot = watchProcess(process.execPath, [...command('bot'), '--mock'], { cwd: out, env });
    running.push(bot);
    await pollUntil(`http://127.0.0.1:${port}/health`, (status) => status === 200);
    await bot.waitForLine(/bot running/);
    expect(cli('health', '--url', `http://127.0.0.1:${port}/health`)).toContain('healthy');
    await pollUntil(
      `http://127.0.0.1:${port}/health`,
      (_status, body) =>
        (body as { components?: { discord_bot?: { status?: string } } }).components?.discord_bot?.status ===
        'connected',
    );
    expect(cli('health', '--url', `http://127.0.0.1:${port}/health`, '--require', 'discord_bot')).toContain(
      'connected',
    );

    api.child.kill('SIGTERM');
    bot.child.kill('SIGTERM');
    expect(await api.exited).toEqual({ code: 0, signal: null });
    expect(await bot.exited).toEqual({ code: 0, signal: null });
  });
});
