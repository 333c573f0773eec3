import { readFileSync } from 'node:fs';
import { closest } from '../container/suggest.js';
import { hasCode, messageOf } from '../errors.js';
import { commandHelp, mainHelp } from './help.js';
import { usageError } from './usage-error.js';
import { exitWhenOutputCloses } from '../runner/interrupt.js';
import { discardSpare, prestartExecutor } from '../runner/schedule/executor-pool.js';

// The one place that prints errors and sets the exit code.
async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case undefined:
    case '-h':
    case '--help':
      process.stdout.write(mainHelp);
      return command === undefined ? 2 : 0;
    case 'help':
      process.stdout.write(await helpFor(rest[0]));
      return 0;
    case '-v':
    case '--version': {
      const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
      process.stdout.write(`${manifest.version}\n`);
      return 0;
    }
    case 'run': {
      // Started first, so that its Node start overlaps this process parsing flags and finding docs.
      if (!rest.includes('--help') && !rest.includes('-h')) prestartExecutor();
      const { runCommand } = await import('./run-command.js');
      return runCommand(rest);
    }
    case 'check': {
      const { checkCommand } = await import('./check-command.js');
      return checkCommand(rest);
    }
    case 'list': {
      const { listCommand } = await import('./list-command.js');
      return listCommand(rest);
    }
    case 'open': {
      const { openCommand } = await import('./open-command.js');
      return openCommand(rest);
    }
    case 'merge-reports': {
      const { mergeReportsCommand } = await import('./merge-reports-command.js');
      return mergeReportsCommand(rest);
    }
    default:
      throw unknownCommand(command);
  }
}

const commands = [...Object.keys(commandHelp), 'merge-reports'];

// `runbook help run` is `runbook run --help`; `runbook help` alone is the overview.
async function helpFor(command: string | undefined): Promise<string> {
  if (command === undefined || command === 'help') return mainHelp;
  if (command === 'merge-reports') return (await import('./merge-reports-command.js')).mergeReportsHelpText();
  if (!Object.hasOwn(commandHelp, command)) throw unknownCommand(command);
  return commandHelp[command]!;
}

function unknownCommand(command: string): Error {
  if (command.startsWith('-')) {
    const guess = closest(command.replace(/^-+/, ''), ['help', 'version']);
    const hint = guess ? `Did you mean '--${guess}'?` : `A command's options go after it, e.g. runbook run doc.md ${command}.`;
    return usageError(`Unknown option '${command}'. ${hint} Run 'runbook --help'.`);
  }
  const guess = closest(command, commands);
  return usageError(`unknown command '${command}'.${guess ? ` Did you mean '${guess}'?` : ''} Commands: ${commands.join(', ')}. Run 'runbook --help'.`);
}

// Once nothing is left to do (the moment Node would end the process itself),
// end it with process.exit: the 'exit' listeners run as they would, and Node
// skips tearing down its heap piece by piece, about 2 ms of every run's end.
function exitWhenIdle(): void {
  process.once('beforeExit', () => process.exit());
}

/** Runs the command line this process was started with; sets the exit code. */
export function cliMain(): void {
  exitWhenOutputCloses();
  exitWhenIdle();
  main(process.argv.slice(2)).then(
    (code) => {
      discardSpare();
      process.exitCode = code;
    },
    (error: unknown) => {
      discardSpare();
      const usage = hasCode(error, 'RUNBOOK_USAGE');
      process.stderr.write(`runbook: ${usage ? messageOf(error) : String((error as Error)?.stack ?? error)}\n`);
      process.exitCode = 2;
    },
  );
}
