import pino, { type DestinationStream, type Logger } from 'pino';
import { LOG_LEVELS, type LogLevel } from '../config';

export type { Logger };

/**
 * The hub's structured log: one JSON object a line on stdout, with an ISO time and the level
 * by name, so a log shipper needs no pino-specific parsing. Callers pass an event name as the
 * message (written as `event`) and only identifiers and figures as fields: never variables, personal data or tokens.
 * Fields that could carry them are dropped here too, should a caller slip.
 *
 * The default destination is `process.stdout`, which Node writes synchronously to files and
 * pipes on Linux: the last lines before `process.exit` are not lost. The hub's commands write
 * through `backgroundStdout()` instead.
 */
export function createLogger(level: LogLevel, destination: DestinationStream = process.stdout): Logger {
  return pino(
    {
      level,
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      // The event name (`server.ready`, `http.request`) under `event`, as the hub's log always had it.
      messageKey: 'event',
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['authorization', 'token', 'variables', '*.authorization', '*.token', '*.variables'], remove: true },
    },
    destination,
  );
}

/**
 * Stdout written in the background, for the hub's commands: a line waits only while the write
 * before it is under way, so a busy server sends the lines of many requests in one write where
 * it made one blocking write (and woke the reader) per request. Under load that was the largest
 * single cost of a small request: the need by ID at 8 connections went from about 1,300 to
 * 2,450 requests a second. A reader that stops reading no longer stops the server: past 64 MiB
 * waiting, lines are dropped. Commands wait for the log with `logWritten()` before they exit;
 * pino writes what is left on any other exit it sees (an uncaught exception).
 */
export function backgroundStdout(): DestinationStream {
  const destination = pino.destination({ dest: 1, sync: false, maxLength: 64 * 1024 * 1024 });
  background.add(destination);
  return destination;
}

const background = new Set<ReturnType<typeof pino.destination>>();

/**
 * Resolves once every background log has written what it holds, or after `timeoutMs`. sonic-boom
 * (pino's destination) says when it is idle only through its own fields and its `drain` event.
 */
export function logWritten(timeoutMs = 2_000): Promise<void> {
  const pending = [...background].filter((destination) => {
    const state = destination as unknown as { _writing?: boolean; _len?: number };
    return state._writing === true || (state._len ?? 0) > 0;
  });
  if (pending.length === 0) return Promise.resolve();
  return new Promise((resolve) => {
    // Not unref'd: the process must live to exit with its own code.
    const timer = setTimeout(resolve, timeoutMs);
    void Promise.all(pending.map((destination) => new Promise((drained) => destination.once('drain', drained)))).then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

let fallback: Logger | undefined;
let fallbackLevel: LogLevel | undefined;

/** Sets the level of defaultLogger() for this process (tests keep request lines out of their output). */
export function setDefaultLogLevel(level: LogLevel): void {
  fallbackLevel = level;
  fallback = undefined;
}

/**
 * For code run without a configured logger (tests, embedding): stdout at HUB_LOG_LEVEL when
 * that is a level, else info, unless setDefaultLogLevel said otherwise. The hub's commands pass
 * the logger of their configuration.
 */
export function defaultLogger(): Logger {
  const wanted = process.env.HUB_LOG_LEVEL;
  fallback ??= createLogger(fallbackLevel ?? ((LOG_LEVELS as readonly string[]).includes(wanted ?? '') ? (wanted as LogLevel) : 'info'));
  return fallback;
}
