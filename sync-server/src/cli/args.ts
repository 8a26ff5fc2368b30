/** Option parsing that turns a typo into a usage answer (exit 2), not a stack trace. */
import { parseArgs, type ParseArgsConfig } from 'node:util';

type Options = NonNullable<ParseArgsConfig['options']>;

export type Parsed =
  | { ok: true; values: Record<string, string | undefined>; positionals: string[] }
  | { ok: false; problem: string };

export function parseCommandArgs(args: string[], options: Options): Parsed {
  try {
    const out = parseArgs({ args, allowPositionals: true, strict: true, options });
    return {
      ok: true,
      values: out.values as Record<string, string | undefined>,
      positionals: out.positionals,
    };
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err);
    const option = /'([^']+)'/.exec(text)?.[1];
    return { ok: false, problem: option ? `无法识别的参数：${option}` : '参数格式不正确' };
  }
}
