/**
 * `sibantong-hub dead-letters list|retry`: the workflow's failed work, as in the IT console's
 * 枢纽状态. The CLI never runs workflow jobs itself (only the hub process holding the workflow
 * lease does, workflow/lease.ts): `retry` leaves a request the running hub picks up within
 * seconds (workflow/deadLetterRetry.ts), or at its next start.
 */
import { deadLetterRows } from '../admin/itConsole.js';
import { openLettersById, requestRetry } from '../workflow/deadLetterRetry.js';
import { openDeadLetters } from '../workflow/deadLetters.js';
import { parseCommandArgs } from './args.js';
import { EXIT } from './exitCodes.js';
import { DEAD_LETTERS_USAGE } from './help.js';
import { emit } from './output.js';
import { withStore } from './withStore.js';

function usage(problem?: string): number {
  console.error(problem ? `${problem}\n\n${DEAD_LETTERS_USAGE}` : DEAD_LETTERS_USAGE);
  return EXIT.USAGE;
}

export async function deadLettersCommand(argv: string[], json: boolean): Promise<number> {
  const [sub, ...rest] = argv;
  const parsed = parseCommandArgs(rest, { all: { type: 'boolean' } });
  if (!parsed.ok) return usage(parsed.problem);
  const all = Boolean(parsed.values.all);
  const ids = parsed.positionals;
  switch (sub) {
    case undefined:
    case 'list':
      return withStore(async (store) => {
        const deadLetters = await deadLetterRows(store);
        emit(
          json,
          { deadLetters },
          deadLetters
            .map(
              (l) =>
                `${l.id}\t${l.message}（${l.code}）\t尝试 ${l.attempts} 次\t最近 ${l.lastAt}${l.retryQueuedAt ? '\t已排队重试' : ''}`,
            )
            .join('\n') || '（没有未处理的后台任务失败）',
        );
        return EXIT.OK;
      });
    case 'retry':
      if (all === ids.length > 0) {
        return usage('给出要重试的记录 ID（见 dead-letters list），或 --all（二者选一）');
      }
      return withStore(async (store) => {
        const letters = all ? await openDeadLetters(store) : await openLettersById(store, ids);
        await requestRetry(store, letters);
        emit(
          json,
          { queued: letters.map((l) => l._id) },
          letters.length
            ? `已请求重试 ${letters.length} 条：运行中的枢纽数秒内执行（未运行则在下次启动时执行），用 dead-letters list 查看结果`
            : '（没有未处理的后台任务失败）',
        );
        return EXIT.OK;
      });
    default:
      return usage(`未知的子命令：${sub}`);
  }
}
