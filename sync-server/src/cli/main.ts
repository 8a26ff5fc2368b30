/** Entry point of the `sibantong-hub` command. */
import { keysCommand } from '../atRest/keysCommand.js';
import { loadConfig } from '../config.js';
import { runReleaseCli } from '../releases/index.js';
import { backupCommand, migrateCommand, restoreCommand } from './backup.js';
import { calendarCommand } from './calendar.js';
import { deadLettersCommand } from './deadLetters.js';
import { deviceCommand } from './device.js';
import { EXIT, exitCodeOf, messageOf } from './exitCodes.js';
import { MAIN_USAGE, helpFor, wantsHelp } from './help.js';
import { seedDemo } from './seedDemo.js';
import { serve } from './serve.js';
import { unitsCommand } from './units.js';
import { userCommand } from './user.js';

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const args = argv.filter((a) => a !== '--json');
  const [command, ...rest] = args;
  if (wantsHelp(args)) {
    console.log(helpFor(command === 'help' || command?.startsWith('-') ? rest[0] : command));
    return EXIT.OK;
  }
  switch (command) {
    case 'serve':
      return serve();
    case 'seed-demo':
      return seedDemo(rest, json);
    case 'user':
      return userCommand(rest, json);
    case 'device':
      return deviceCommand(rest, json);
    case 'units':
      return unitsCommand(json);
    case 'calendar':
      return calendarCommand(rest, json);
    case 'dead-letters':
      return deadLettersCommand(rest, json);
    case 'keys':
      return keysCommand(rest, json);
    case 'backup':
      return backupCommand(rest, json);
    case 'restore':
      return restoreCommand(rest, json);
    case 'migrate':
      return migrateCommand(rest, json);
    case 'release':
      return runReleaseCli(rest, { dataDir: loadConfig().dataDir });
    case undefined:
      console.error(MAIN_USAGE);
      return EXIT.USAGE;
    default:
      console.error(`未知命令：${command}\n\n${MAIN_USAGE}`);
      return EXIT.USAGE;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(messageOf(err));
    process.exit(exitCodeOf(err));
  },
);
