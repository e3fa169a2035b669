// A small JSON-RPC client for the benchmark: spawns a language server, frames messages with
// Content-Length headers over stdio, matches responses to requests and lets the caller wait
// for notifications. Requests from the server (workspace/configuration …) get null.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Message {
  jsonrpc: '2.0';
  id?: number | string;
  method?: string;
  params?: any;
  result?: any;
  error?: { code: number; message: string };
}

export class LspClient {
  readonly proc: ChildProcessWithoutNullStreams;
  private chunks: Buffer[] = [];
  private buffered = 0;
  private nextId = 1;
  private readonly pending = new Map<number, (m: Message) => void>();
  private waiters: { pred: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  stderr = '';

  constructor(command: string, args: string[]) {
    this.proc = spawn(command, args, { stdio: 'pipe' });
    this.proc.stdout.on('data', (d: Buffer) => this.onData(d));
    this.proc.stderr.on('data', (d: Buffer) => { this.stderr += d.toString(); });
  }

  /** End of the message being received (header included) once its header is read, else -1. */
  private need = -1;

  // The chunks of a message are joined once, when it is complete (as vscode-jsonrpc and Node's
  // IPC channel do): joining them at every chunk copied a 4 MB answer about 70 times.
  private onData(d: Buffer): void {
    this.chunks.push(d);
    this.buffered += d.length;
    for (;;) {
      if (this.need >= 0 && this.buffered < this.need) return;
      let buf = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks, this.buffered);
      this.chunks = [buf];
      const sep = buf.indexOf('\r\n\r\n');
      if (sep < 0) return;
      const m = /Content-Length: (\d+)/i.exec(buf.subarray(0, sep).toString('ascii'));
      if (!m) throw new Error('bad header from the server');
      const end = sep + 4 + Number(m[1]);
      if (buf.length < end) {
        this.need = end;
        return;
      }
      const msg = JSON.parse(buf.subarray(sep + 4, end).toString('utf8')) as Message;
      buf = buf.subarray(end);
      this.chunks = buf.length > 0 ? [buf] : [];
      this.buffered = buf.length;
      this.need = -1;
      this.dispatch(msg);
      if (buf.length === 0) return;
    }
  }

  private dispatch(m: Message): void {
    if (m.id !== undefined && m.method) {
      this.write({ jsonrpc: '2.0', id: m.id, result: null });
    } else if (m.id !== undefined) {
      const done = this.pending.get(m.id as number);
      this.pending.delete(m.id as number);
      done?.(m);
    } else {
      this.waiters = this.waiters.filter((w) => (w.pred(m) ? (w.resolve(m), false) : true));
    }
  }

  // As vscode-jsonrpc's writer (an editor's client) does: the header and the body written one
  // after the other; joining them first copied a 4.4 MB didOpen once more.
  private write(m: Message): void {
    const body = Buffer.from(JSON.stringify(m), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`, 'ascii');
    this.proc.stdin.write(body);
  }

  request<T = any>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (m) => (m.error ? reject(new Error(m.error.message)) : resolve(m.result as T)));
      this.write({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /** The next notification matching `pred` (register before triggering it). */
  next(pred: (m: Message) => boolean, timeoutMs = 600_000): Promise<Message> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; server stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (m) => { clearTimeout(timer); resolve(m); } });
    });
  }

  /** Peak resident set size of the server process in bytes (VmHWM), or NaN off Linux. */
  peakRss(): number {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.proc.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : NaN;
    } catch {
      return NaN;
    }
  }

  async shutdown(): Promise<void> {
    await this.request('shutdown', null).catch(() => undefined);
    this.notify('exit', null);
    await new Promise((r) => {
      if (this.proc.exitCode !== null) r(null);
      else {
        this.proc.on('exit', r);
        setTimeout(() => { this.proc.kill(); r(null); }, 2000);
      }
    });
  }
}
