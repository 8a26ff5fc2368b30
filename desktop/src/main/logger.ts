/**
 * A small file logger for the main process: one JSON line per entry in
 * app.getPath('logs')/main.log, rotated by size (main.log → main.1.log → … main.<keep>.log).
 * Synchronous appends: the main process logs rarely, and a crash must not lose the last line.
 */
import fs from 'node:fs';
import path from 'node:path';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, meta?: Record<string, unknown>): void;
  info(message: string, meta?: Record<string, unknown>): void;
  warn(message: string, meta?: Record<string, unknown>): void;
  error(message: string, meta?: Record<string, unknown>): void;
  readonly file: string;
}

export interface LoggerOptions {
  name?: string;
  maxBytes?: number;
  keep?: number;
  echo?: boolean;
  now?: () => Date;
}

function safeMeta(meta: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!meta) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(meta)) {
    out[k] = v instanceof Error ? { name: v.name, message: v.message, stack: v.stack } : v;
  }
  return out;
}

export function createLogger(dir: string, opts: LoggerOptions = {}): Logger {
  const name = opts.name ?? 'main';
  const maxBytes = opts.maxBytes ?? 2 * 1024 * 1024;
  const keep = opts.keep ?? 5;
  const now = opts.now ?? (() => new Date());
  const file = path.join(dir, `${name}.log`);
  fs.mkdirSync(dir, { recursive: true });

  const rotate = () => {
    for (let i = keep - 1; i >= 1; i--) {
      const from = path.join(dir, `${name}.${i}.log`);
      if (fs.existsSync(from)) fs.renameSync(from, path.join(dir, `${name}.${i + 1}.log`));
    }
    fs.renameSync(file, path.join(dir, `${name}.1.log`));
  };

  const write = (level: LogLevel, message: string, meta?: Record<string, unknown>) => {
    const line =
      JSON.stringify({
        t: now().toISOString(),
        level,
        message,
        ...(meta ? { meta: safeMeta(meta) } : {}),
      }) + '\n';
    try {
      let size = 0;
      try {
        size = fs.statSync(file).size;
      } catch {
        size = 0;
      }
      if (size > 0 && size + Buffer.byteLength(line) > maxBytes) rotate();
      fs.appendFileSync(file, line, 'utf8');
    } catch {
      // logging must never take the app down
    }
    if (opts.echo)
      (level === 'error' || level === 'warn' ? console.error : console.log)(line.trimEnd());
  };

  return {
    file,
    debug: (m, meta) => write('debug', m, meta),
    info: (m, meta) => write('info', m, meta),
    warn: (m, meta) => write('warn', m, meta),
    error: (m, meta) => write('error', m, meta),
  };
}
