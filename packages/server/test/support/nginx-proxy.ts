import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './spawned-service';

/** Debian's nginx; CI installs it. A test that needs it fails without it, it never skips. */
export const NGINX_PATH = '/usr/sbin/nginx';

export interface NginxProxy {
  /** The loopback port nginx listens on, in front of the upstream. */
  port: number;
  stop(): Promise<void>;
}

export interface NginxOptions {
  /** Idle keep-alive connections kept open to each upstream (none: one per request). */
  keepAlive?: number;
  /** Client connections nginx accepts at once (each also holds one to an upstream). */
  maxConnections?: number;
}

/**
 * A real nginx on 127.0.0.1 in front of the upstream port (or balancing round-robin over
 * several), appending the address each client connected from to `X-Forwarded-For` as a
 * production reverse proxy does. Everything it writes (config, pid, logs, temp files) stays
 * in its own temporary directory.
 */
export async function startNginxProxy(
  upstreamPorts: number | readonly number[],
  options: NginxOptions = {},
): Promise<NginxProxy> {
  if (!existsSync(NGINX_PATH)) {
    throw new Error(`nginx is required at ${NGINX_PATH} for this test: apt-get install nginx`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'latchkey-nginx-'));
  const port = await freePort();
  const configFile = join(dir, 'nginx.conf');
  writeFileSync(configFile, nginxConfig(dir, port, [upstreamPorts].flat(), options));
  const child = spawn(
    NGINX_PATH,
    ['-p', `${dir}/`, '-e', join(dir, 'error.log'), '-c', configFile, '-g', 'daemon off;'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  try {
    await waitUntilListening(port, child, () => `${output}${errorLog(dir)}`);
  } catch (error) {
    child.kill('SIGKILL');
    await exited;
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    port,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function nginxConfig(
  dir: string,
  port: number,
  upstreamPorts: readonly number[],
  options: NginxOptions,
): string {
  for (const temp of ['client-body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) {
    mkdirSync(join(dir, temp));
  }
  const servers = upstreamPorts.map((upstream) => `server 127.0.0.1:${upstream};`).join(' ');
  const maxConnections = options.maxConnections ?? 128;
  // Keep-alive to an upstream needs HTTP/1.1 and no `Connection: close` passed on.
  const keepAlive = options.keepAlive
    ? `proxy_http_version 1.1;\n      proxy_set_header Connection "";`
    : '';
  // One process (no master, no workers switching to another user): killing it ends nginx.
  return `
master_process off;
worker_processes 1;
worker_rlimit_nofile ${4 * maxConnections + 64};
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections ${2 * maxConnections}; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'client-body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
  upstream latchkey { ${servers} ${options.keepAlive ? `keepalive ${options.keepAlive};` : ''} }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://latchkey;
      ${keepAlive}
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }
  }
}
`;
}

function errorLog(dir: string): string {
  try {
    return readFileSync(join(dir, 'error.log'), 'utf8');
  } catch {
    return '';
  }
}

async function waitUntilListening(port: number, child: ChildProcess, output: () => string) {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`nginx exited before listening:\n${output()}`);
    }
    if (await accepts(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`nginx did not listen on 127.0.0.1:${port} within 10 s:\n${output()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
