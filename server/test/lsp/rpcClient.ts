// A small JSON-RPC client over a child process's stdio (LSP base protocol framing), for
// testing the built language server exactly as an editor talks to it.
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

type Message = { jsonrpc: '2.0'; id?: number | string; method?: string; params?: any; result?: any; error?: any };

export class RpcClient {
  private readonly proc: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
  /** Every notification received, in order. */
  readonly notifications: Message[] = [];
  private waiters: { pred: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];
  /** Called for every notification as it arrives (before waiters are resolved). */
  onNotification?: (m: Message) => void;
  /** Answers to the server's own requests (workspace/configuration …), by method. */
  handlers: Record<string, (params: any) => unknown> = {};
  stderr = '';

  constructor(command: string, args: string[]) {
    this.proc = spawn(command, args, { stdio: 'pipe' });
    this.proc.stdout.on('data', (d: Buffer) => this.onData(d));
    this.proc.stderr.on('data', (d: Buffer) => { this.stderr += d.toString(); });
  }

  private onData(d: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, d]);
    for (;;) {
      const sep = this.buffer.indexOf('\r\n\r\n');
      if (sep < 0) return;
      const m = /Content-Length: (\d+)/i.exec(this.buffer.subarray(0, sep).toString('ascii'));
      if (!m) throw new Error('bad header');
      const len = Number(m[1]);
      if (this.buffer.length < sep + 4 + len) return;
      const body = JSON.parse(this.buffer.subarray(sep + 4, sep + 4 + len).toString('utf8')) as Message;
      this.buffer = this.buffer.subarray(sep + 4 + len);
      this.dispatch(body);
    }
  }

  private dispatch(m: Message): void {
    if (m.id !== undefined && m.method) {
      // A request from the server.
      const h = this.handlers[m.method];
      const r = h ? h(m.params) : null;
      // A handler may answer with a whole response body of its own (an error, or a malformed one).
      if (r instanceof RawResponse) this.write({ jsonrpc: '2.0', id: m.id, ...r.body } as Message);
      else this.write({ jsonrpc: '2.0', id: m.id, result: r });
    } else if (m.id !== undefined) {
      const p = this.pending.get(m.id as number);
      this.pending.delete(m.id as number);
      if (m.error) p?.reject(Object.assign(new Error(m.error.message), { code: m.error.code, data: m.error.data }));
      else p?.resolve(m.result);
    } else {
      this.notifications.push(m);
      this.onNotification?.(m);
      this.waiters = this.waiters.filter((w) => (w.pred(m) ? (w.resolve(m), false) : true));
    }
  }

  /** The server's process id (for /proc/PID/status). */
  get pid(): number {
    return this.proc.pid!;
  }

  /** Writes bytes as they are: malformed framing or JSON for robustness tests. */
  writeRaw(data: string | Buffer): void {
    this.proc.stdin.write(data);
  }

  /** Closes the server's stdin, as a client that disconnects without `shutdown`. */
  disconnect(): void {
    this.proc.stdin.end();
  }

  private write(m: Message): void {
    const body = Buffer.from(JSON.stringify(m), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  request<T = any>(method: string, params: unknown): Promise<T> {
    const id = this.nextId++;
    this.write({ jsonrpc: '2.0', id, method, params });
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  /** Sends `$/cancelRequest` for the most recent request. */
  cancelLast(): void {
    this.notify('$/cancelRequest', { id: this.nextId - 1 });
  }

  notify(method: string, params: unknown): void {
    this.write({ jsonrpc: '2.0', method, params });
  }

  /** Several notifications in one write, as an editor flushing queued changes sends them. */
  notifyAll(messages: { method: string; params: unknown }[]): void {
    const frames = messages.map((m) => {
      const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...m }), 'utf8');
      return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`), body]);
    });
    this.proc.stdin.write(Buffer.concat(frames));
  }

  /** The first notification (already received or future) matching `pred`. */
  waitFor(pred: (m: Message) => boolean, timeoutMs = 10_000): Promise<Message> {
    const seen = this.notifications.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching notification; stderr: ${this.stderr}`)), timeoutMs);
      this.waiters.push({ pred, resolve: (m) => { clearTimeout(timer); resolve(m); } });
    });
  }

  exited(): Promise<number | null> {
    if (this.proc.exitCode !== null) return Promise.resolve(this.proc.exitCode);
    return new Promise((resolve) => this.proc.on('exit', (code) => resolve(code)));
  }

  kill(): void {
    this.proc.kill();
  }
}

/** What a handler returns to answer a server request with exactly this body (besides `jsonrpc` and `id`). */
export class RawResponse {
  constructor(readonly body: Record<string, unknown>) {}
}
