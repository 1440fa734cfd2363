// Process helpers shared by the Node benchmarks (bench/playback, bench/viewers): every process a benchmark
// starts runs in a process group of its own, is listed in WORK/pids for the run.sh that started the
// benchmark (which kills those groups whatever happens to Node), and is killed when Node exits.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export const sleep = ms => new Promise(r => setTimeout(r, ms));

/** A free TCP port on loopback. */
export const freePort = () => new Promise(r => {
  const s = net.createServer();
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => r(port)); });
});

/** Runs a command to its end; resolves with its standard output, rejects with its standard error. */
export function run(cmd, argv, env) {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let out = '', err = '';
    p.stdout.on('data', d => { out += d; });
    p.stderr.on('data', d => { err += d; });
    p.on('exit', c => c === 0 ? resolve(out) : reject(new Error(`${cmd} ${argv.join(' ')}: ${err}`)));
  });
}

/** The processes of one benchmark run, logging into WORK/logs and listed in WORK/pids. */
export function processes(work) {
  const children = new Set();
  // The process groups still running, for run.sh to kill whatever happens to this process.
  const writePids = () => fs.writeFileSync(path.join(work, 'pids'), [...children].map(c => c.pid + '\n').join(''));
  const killGroup = (p, signal = 'SIGTERM') => {
    try { process.kill(-p.pid, signal); } catch { /* gone */ }
  };
  const killAll = () => { for (const p of children) killGroup(p, 'SIGKILL'); };
  process.on('exit', killAll);
  for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => { killAll(); process.exit(130); });
  return {
    /** Starts a command in a process group of its own; stderr and stdout go to logs/LOGNAME (stdout also stays readable). */
    start(cmd, argv, { env, logName, cwd } = {}) {
      const log = path.join(work, 'logs', logName);
      const out = fs.openSync(log, 'a');
      const p = spawn(cmd, argv, { env: { ...process.env, ...env }, cwd, detached: true, stdio: ['ignore', 'pipe', out] });
      children.add(p);
      writePids();
      p.on('exit', () => { children.delete(p); writePids(); });
      p.stdout.on('data', d => fs.appendFileSync(log, d));
      return p;
    },
    killGroup,
    /** SIGTERM to the process's group, SIGKILL after `ms`. */
    async stop(p, ms = 5000) {
      if (p.exitCode !== null || p.signalCode !== null) return;
      const gone = new Promise(r => p.once('exit', r));
      killGroup(p);
      if (await Promise.race([gone.then(() => true), sleep(ms).then(() => false)]) === false) {
        killGroup(p, 'SIGKILL');
        await gone;
      }
    },
    killAll,
  };
}

/** "--name value" pairs of the command line (a flag with no value is 'true'). */
export function cliArgs(argv = process.argv.slice(2)) {
  return Object.fromEntries(argv.reduce((acc, a, i, all) => {
    if (a.startsWith('--')) acc.push([a.slice(2), all[i + 1] && !all[i + 1].startsWith('--') ? all[i + 1] : 'true']);
    return acc;
  }, []));
}
