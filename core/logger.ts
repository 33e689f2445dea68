import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';

export type Logger = PinoLogger;

/** Keys whose values never reach a log line, wherever they sit (two levels deep). */
const SECRET_KEYS = ['password', 'token', 'auth_token', 'authToken', 'refresh', 'refreshToken', 'refresh_token', 'authorization', 'Authorization', 'cookie', 'session_id', 'sessionId'];
const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `headers["${k.toLowerCase()}"]`]);

/**
 * JSON lines to stderr: stdout is the MCP channel in stdio mode.
 * Synchronous writes so that the last lines survive a crash.
 */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { name: 'taiga-mcp' },
      redact: { paths: [...new Set(REDACT_PATHS)], censor: '[REDACTED]' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination ?? pino.destination({ dest: 2, sync: true }),
  );
}

/** Session ids appear in logs only as their first 8 characters. */
export const shortId = (id: string | undefined): string | undefined => (id === undefined ? undefined : `${id.slice(0, 8)}…`);
