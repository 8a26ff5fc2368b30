/** `sibantong-hub release publish|rollback|rollout|list` for county IT. */
import path from 'node:path';
import { DomainError } from '@sibantong/shared';
import { CHANNELS } from './feed.js';
import { ReleaseStore } from './store.js';

const USAGE = `用法:
  sibantong-hub release publish <文件夹> --channel stable|pilot [--rollout <0-100>]
  sibantong-hub release rollback --channel stable|pilot
  sibantong-hub release rollout --channel stable|pilot --percent <0-100>
  sibantong-hub release list [--channel stable|pilot] [--json]`;

interface Parsed {
  positional: string[];
  flags: Map<string, string | true>;
}

function parseArgs(argv: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        flags.set(a.slice(2, eq), a.slice(eq + 1));
      } else if (argv[i + 1] !== undefined && !argv[i + 1]!.startsWith('--')) {
        flags.set(a.slice(2), argv[++i]!);
      } else {
        flags.set(a.slice(2), true);
      }
    } else {
      positional.push(a);
    }
  }
  return { positional, flags };
}

function intFlag(v: string | true | undefined): number | undefined {
  if (v === undefined) return undefined;
  if (v === true || !/^\d+$/.test(v)) return Number.NaN;
  return Number(v);
}

export async function releaseCli(argv: string[], dataDir: string): Promise<number> {
  const args = argv[0] === 'release' ? argv.slice(1) : argv;
  const [command, ...rest] = args;
  const { positional, flags } = parseArgs(rest);
  const store = new ReleaseStore(dataDir);
  const channel = typeof flags.get('channel') === 'string' ? (flags.get('channel') as string) : '';
  try {
    switch (command) {
      case 'publish': {
        const folder = positional[0];
        if (!folder || !channel) break;
        const rollout = intFlag(flags.get('rollout'));
        const build = await store.publish(path.resolve(folder), {
          channel,
          ...(rollout !== undefined ? { rollout } : {}),
        });
        console.log(
          `已发布 ${build.version} 到 ${channel} 通道（灰度 ${build.rollout}%）：${build.files.length} 个文件，${build.feeds.join('、')}`,
        );
        return 0;
      }
      case 'rollback': {
        if (!channel) break;
        const { from, to } = await store.rollback(channel);
        console.log(`${channel} 通道已从 ${from.version} 退回到 ${to.version}（全部设备）。`);
        return 0;
      }
      case 'rollout': {
        const percent = intFlag(flags.get('percent') ?? positional[0]);
        if (!channel || percent === undefined) break;
        const build = await store.setRollout(channel, percent);
        console.log(`${channel} 通道 ${build.version} 的灰度比例已改为 ${build.rollout}%。`);
        return 0;
      }
      case 'list': {
        const channels = channel ? [channel] : [...CHANNELS];
        const states = await Promise.all(channels.map((c) => store.load(c)));
        // the hub's entry point strips a global --json before calling us
        if (flags.has('json') || process.argv.includes('--json')) {
          console.log(JSON.stringify(states, null, 2));
          return 0;
        }
        for (const s of states) {
          const current = s.stack.at(-1);
          const previous = s.stack.at(-2);
          console.log(`通道 ${s.channel}:`);
          console.log(
            current
              ? `  当前版本 ${current.version}（灰度 ${current.rollout}%，发布于 ${current.publishedAt}）`
              : '  尚未发布任何版本',
          );
          if (previous) console.log(`  上一版本 ${previous.version}（灰度外设备使用）`);
          for (const b of s.retired) console.log(`  已退回 ${b.version}`);
        }
        return 0;
      }
      default:
        break;
    }
    console.error(USAGE);
    return 2;
  } catch (e) {
    if (e instanceof DomainError) {
      console.error(`错误 ${e.code}: ${e.messageZh}`);
      return 1;
    }
    throw e;
  }
}
