import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';

/**
 * A small LAN of test hosts built in network namespaces (iproute2): a bridge
 * in a namespace of its own and one namespace per host, joined by veth pairs.
 * All addresses live only inside these namespaces; nothing touches the
 * host's own network. `destroy()` removes everything, also after a failure.
 */
const SUBNET = '10.77.0'; // private addresses that exist only inside the test's own network namespaces

/** Why namespaces cannot be used here, or undefined if they can. */
export function netnsUnavailableReason(): string | undefined {
  if (process.getuid?.() !== 0) return 'creating network namespaces needs root (CI runs as root)';
  if (spawnSync('ip', ['-V']).status !== 0) return 'iproute2 (ip) is not installed; .ci/run installs it';
  const probe = `ckprobe${process.pid}`;
  const made = spawnSync('ip', ['netns', 'add', probe]);
  spawnSync('ip', ['netns', 'del', probe]);
  return made.status === 0 ? undefined : `ip netns add failed: ${made.stderr.toString().trim()}`;
}

export class TestLan {
  readonly #namespaces: string[] = [];
  readonly #children = new Set<ChildProcess>();
  readonly #addresses = new Map<string, string>();
  readonly #prefix: string;

  private constructor(prefix: string) {
    this.#prefix = prefix;
  }

  /** Creates the LAN with these hosts (addresses .2, .3, ... in order). */
  static create(hosts: readonly string[]): TestLan {
    const lan = new TestLan(`ck${process.pid % 100000}`);
    process.on('exit', () => lan.destroy());
    try {
      const bridge = lan.#namespace('br');
      ip('-n', bridge, 'link', 'add', 'br0', 'type', 'bridge');
      ip('-n', bridge, 'link', 'set', 'br0', 'up');
      hosts.forEach((host, index) => {
        const netns = lan.#namespace(host);
        const address = `${SUBNET}.${index + 2}`;
        ip('link', 'add', `v${index}`, 'netns', bridge, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns);
        ip('-n', bridge, 'link', 'set', `v${index}`, 'master', 'br0', 'up');
        ip('-n', netns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
        ip('-n', netns, 'link', 'set', 'eth0', 'up');
        ip('-n', netns, 'link', 'set', 'lo', 'up');
        // A default route lets 255.255.255.255 leave through eth0, as on a real LAN.
        ip('-n', netns, 'route', 'add', 'default', 'dev', 'eth0');
        lan.#addresses.set(host, address);
      });
      return lan;
    } catch (error) {
      lan.destroy();
      throw error;
    }
  }

  address(host: string): string {
    const address = this.#addresses.get(host);
    if (!address) throw new Error(`no host ${host}`);
    return address;
  }

  /** Runs `node script args` inside the host's namespace. */
  node(host: string, script: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): RunningProcess {
    const child = spawn('ip', ['netns', 'exec', this.#name(host), process.execPath, script, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    this.#children.add(child);
    child.on('exit', () => this.#children.delete(child));
    return new RunningProcess(child);
  }

  /** Gives the host one more address (a documentation address a README example uses, say). */
  addAddress(host: string, address: string): void {
    ip('-n', this.#name(host), 'addr', 'add', `${address}/32`, 'dev', 'eth0');
  }

  /** Runs a shell command line inside the host's namespace, from `cwd`, as a user would type it. */
  shell(host: string, commandLine: string, cwd: string, env: NodeJS.ProcessEnv = {}): RunningProcess {
    const child = spawn('ip', ['netns', 'exec', this.#name(host), 'sh', '-c', commandLine], {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    this.#children.add(child);
    child.on('exit', () => this.#children.delete(child));
    return new RunningProcess(child);
  }

  destroy(): void {
    for (const child of this.#children) child.kill('SIGKILL');
    this.#children.clear();
    for (const netns of this.#namespaces.splice(0)) {
      const pids =
        spawnSync('ip', ['netns', 'pids', netns]).stdout?.toString().trim().split(/\s+/).filter(Boolean) ?? [];
      for (const pid of pids) spawnSync('kill', ['-9', pid]);
      spawnSync('ip', ['netns', 'del', netns]);
    }
  }

  #name(host: string): string {
    return `${this.#prefix}-${host}`;
  }

  #namespace(host: string): string {
    const netns = this.#name(host);
    spawnSync('ip', ['netns', 'del', netns]);
    ip('netns', 'add', netns);
    this.#namespaces.push(netns);
    return netns;
  }
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
}

/** The longest a process in a test namespace may run: a hang fails the test instead of stalling the run. */
const PROCESS_LIMIT_MS = 60_000;

/** A process with its output collected, to wait on; killed if it runs longer than a minute. */
export class RunningProcess {
  stdout = '';
  stderr = '';
  /** The exit code (null when killed). */
  readonly exited: Promise<number | null>;

  constructor(readonly child: ChildProcess) {
    child.stdout?.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), PROCESS_LIMIT_MS);
    this.exited = new Promise((resolve) =>
      child.on('exit', (code) => {
        clearTimeout(killer);
        resolve(code);
      }),
    );
  }

  async waitFor(pattern: RegExp, timeoutMs = 10_000, stream: 'stdout' | 'stderr' = 'stdout'): Promise<RegExpExecArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = pattern.exec(this[stream]);
      if (match) return match;
      if (Date.now() > deadline)
        throw new Error(`never saw ${pattern}\nstdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 30));
    }
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
