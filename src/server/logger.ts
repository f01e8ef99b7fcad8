import { type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/** One JSON object per line when not on a TTY; readable coloured lines on a TTY. */
export function createLogger(level: LogLevel, destination: NodeJS.WritableStream = process.stderr): Logger {
  const isTty = 'isTTY' in destination && destination.isTTY === true;
  if (isTty) {
    return pino(
      { level },
      pretty({ destination, colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' }),
    );
  }
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, destination);
}
