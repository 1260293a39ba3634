import { parseArgs } from 'node:util';
import { loadConfig, type HubConfig } from '../config';
import { backgroundStdout, createLogger, type Logger } from '../common/logger';

/** What a command may use; everything is created on first use, so a command that needs no configuration runs whatever the environment holds. */
export interface CommandIo {
  /** Standard output: a command's result. */
  out(text: string): void;
  /** Standard error: messages for the person at the terminal. */
  err(text: string): void;
  /** The environment's configuration, read and validated once (a bad variable throws ConfigError). */
  config(): HubConfig;
  /** The JSON log on stdout at HUB_LOG_LEVEL, for commands that report events. */
  logger(): Logger;
}

export interface Command {
  /** One line for `hub --help`. */
  readonly summary: string;
  /** The text of `hub <command> --help`, starting with "Usage: hub <command> …". */
  readonly usage: string;
  /**
   * Arguments the command takes, checked before it runs: unknown options and extra arguments
   * are refused with the usage and exit code 2. Leave out for a command that parses its own
   * arguments; it must then answer bad ones with exit code 2 itself.
   */
  readonly args?: { readonly options?: Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>; readonly positionals?: readonly [min: number, max: number] };
  /** Runs the command; resolves to the process's exit code. */
  run(argv: readonly string[], io: CommandIo): Promise<number>;
}

export function processIo(): CommandIo {
  let config: HubConfig | undefined;
  let logger: Logger | undefined;
  const configOnce = (): HubConfig => (config ??= loadConfig());
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    config: configOnce,
    logger: () => (logger ??= createLogger(configOnce().operations.logLevel, backgroundStdout())),
  };
}

const HELP = new Set(['--help', '-h']);

function wantsHelp(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).some((arg) => HELP.has(arg));
}

/** The problem with `argv` for `command`, or undefined when it is acceptable. */
function argumentProblem(command: Command, argv: readonly string[]): string | undefined {
  if (!command.args) return undefined;
  const [min, max] = command.args.positionals ?? [0, 0];
  let positionals: string[];
  try {
    ({ positionals } = parseArgs({ args: [...argv], options: command.args.options ?? {}, allowPositionals: true, strict: true }));
  } catch (error) {
    const code = (error as { code?: string }).code;
    const option = /'(-[^']*)'/.exec((error as Error).message)?.[1];
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return `unknown option ${option ?? ''}`.trim();
    return (error as Error).message;
  }
  if (positionals.length > max) return max === 0 ? `takes no arguments, got "${positionals[0]}"` : `takes at most ${max} argument${max === 1 ? '' : 's'}, got ${positionals.length}`;
  if (positionals.length < min) return `needs ${min} argument${min === 1 ? '' : 's'}`;
  return undefined;
}

/** The text of `hub --help`: every command with its summary, in table order. */
export function overview(commands: Readonly<Record<string, Command>>): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length)) + 2;
  const lines = Object.entries(commands).map(([name, command]) => `  ${name.padEnd(width)}${command.summary}`);
  return `Usage: hub <command> [options]

Commands:
${lines.join('\n')}

Without a command, hub serves. "hub <command> --help" describes a command.
Configuration is read from the environment; see README.md.`;
}

/**
 * Runs the command named first in `argv` from `commands`: `--help` anywhere before `--` prints
 * its usage; unknown commands, unknown options and wrong argument counts print a message and
 * exit 2. Resolves to the exit code.
 */
export async function runCommandLine(commands: Readonly<Record<string, Command>>, defaultCommand: string, argv: readonly string[], io: CommandIo): Promise<number> {
  const first = argv[0];
  if (first === undefined || (first.startsWith('-') && !HELP.has(first))) {
    // `hub` alone, or `hub --option`: the default command with the options.
    return runOne(commands, defaultCommand, argv, io);
  }
  if (HELP.has(first) || first === 'help') {
    const topic = argv[1];
    if (topic !== undefined && Object.hasOwn(commands, topic)) {
      io.out(`${commands[topic]!.usage}\n`);
      return 0;
    }
    if (topic !== undefined && first === 'help') {
      io.err(`hub: unknown command "${topic}"\n\n${overview(commands)}\n`);
      return 2;
    }
    io.out(`${overview(commands)}\n`);
    return 0;
  }
  if (!Object.hasOwn(commands, first)) {
    io.err(`hub: unknown command "${first}". Commands: ${Object.keys(commands).join(', ')}.\nRun "hub --help" for what each does.\n`);
    return 2;
  }
  return runOne(commands, first, argv.slice(1), io);
}

async function runOne(commands: Readonly<Record<string, Command>>, name: string, argv: readonly string[], io: CommandIo): Promise<number> {
  const command = commands[name]!;
  if (wantsHelp(argv)) {
    io.out(`${command.usage}\n`);
    return 0;
  }
  const problem = argumentProblem(command, argv);
  if (problem !== undefined) {
    io.err(`hub ${name}: ${problem}\n\n${command.usage}\n`);
    return 2;
  }
  return command.run(argv, io);
}

/** A failure the person at the terminal can fix (a busy port, a bad argument): its message is printed without a stack, exit code 2. */
export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}
