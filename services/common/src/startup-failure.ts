import { EXIT_CODES } from './exit-codes.js';

/** A start-up failure a person can fix: one line saying what and what to do, and its exit code. */
export interface StartupFailure {
  exitCode: number;
  message: string;
}

type Explain = (error: unknown) => StartupFailure | undefined;

/**
 * Runs one start-up step. A failure an explainer recognises ends the process with its one line
 * on stderr and its exit code (no stack: it is not a bug); anything else is rethrown, so an
 * unexpected error keeps its stack.
 */
export async function startupStep<T>(service: string, step: () => T | Promise<T>, explain: Explain): Promise<T> {
  try {
    return await step();
  } catch (error) {
    const failure = explain(error);
    if (!failure) throw error;
    process.stderr.write(`${service}: cannot start: ${failure.message}\n`);
    process.exit(failure.exitCode);
  }
}

/** The Node/driver error code of an error, looking through Sequelize's wrapper. */
function codeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; parent?: { code?: unknown } } | undefined;
  const code = e?.parent?.code ?? e?.code;
  return typeof code === 'string' ? code : undefined;
}

const FILE_PROBLEMS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a part of the path is a file, not a folder',
  ENOENT: 'a folder on the path does not exist',
  ENOSPC: 'the disk is full',
  SQLITE_CANTOPEN: 'SQLite cannot open the file',
  SQLITE_READONLY: 'the file is read-only',
  SQLITE_NOTADB: 'the file is not an SQLite database',
};

/** Creating or writing files at a path the operator chose; `variable` says which setting to change. */
export function explainFileFailure(path: string, variable: string): Explain {
  return (error) => {
    const problem = FILE_PROBLEMS[codeOf(error) ?? ''];
    if (!problem) return undefined;
    return {
      exitCode: EXIT_CODES.cannotCreate,
      message: `cannot write ${path}: ${problem}. Set ${variable} to a path this user can write.`,
    };
  };
}

/** Opening the database pool and its first connection. */
export function explainDatabaseFailure(databaseUrl: string): Explain {
  if (databaseUrl.startsWith('sqlite:')) {
    // In all-in-one mode the file lives under DATA_DIR unless DATABASE_URL says otherwise.
    return explainFileFailure(databaseUrl.slice('sqlite:'.length), 'DATABASE_URL (or DATA_DIR in all-in-one mode)');
  }
  const url = new URL(databaseUrl.replace(/^mariadb:/, 'mysql:'));
  // Never the password: it would end up in logs and terminals.
  const address = `${url.hostname}:${url.port || '3306'}`;
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  const user = decodeURIComponent(url.username);
  return (error) => {
    switch (codeOf(error)) {
      case 'ECONNREFUSED':
        return {
          exitCode: EXIT_CODES.databaseUnavailable,
          message: `nothing accepts database connections at ${address} (DATABASE_URL). Start MySQL/MariaDB there, or fix the host and port in DATABASE_URL.`,
        };
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return {
          exitCode: EXIT_CODES.databaseUnavailable,
          message: `the database host "${url.hostname}" (DATABASE_URL) is not known to DNS. Fix the host name in DATABASE_URL.`,
        };
      case 'ETIMEDOUT':
      case 'EHOSTUNREACH':
      case 'ENETUNREACH':
        return {
          exitCode: EXIT_CODES.databaseUnavailable,
          message: `the database at ${address} (DATABASE_URL) did not answer. Check that it runs and that no firewall is in between.`,
        };
      case 'ER_ACCESS_DENIED_ERROR':
      case 'ER_ACCESS_DENIED_NO_PASSWORD_ERROR':
        return {
          exitCode: EXIT_CODES.notPermitted,
          message: `the database at ${address} refused user "${user}" (DATABASE_URL): wrong user name or password. Fix the credentials in DATABASE_URL.`,
        };
      case 'ER_DBACCESS_DENIED_ERROR':
        return {
          exitCode: EXIT_CODES.notPermitted,
          message: `user "${user}" may not use database "${database}" at ${address} (DATABASE_URL). Grant it (GRANT ALL ON \`${database}\`.* TO '${user}') or use another database.`,
        };
      case 'ER_BAD_DB_ERROR':
        return {
          exitCode: EXIT_CODES.databaseMissing,
          message: `database "${database}" does not exist at ${address} (DATABASE_URL). Create it (CREATE DATABASE \`${database}\`) or fix its name in DATABASE_URL.`,
        };
      default:
        return undefined;
    }
  };
}

/** Binding the HTTP port. */
export function explainListenFailure(host: string, port: number): Explain {
  return (error) => {
    switch (codeOf(error)) {
      case 'EADDRINUSE':
        return {
          exitCode: EXIT_CODES.portInUse,
          message: `port ${port} on ${host} is already in use (PORT). Stop the other process, or set PORT to a free port.`,
        };
      case 'EACCES':
        return {
          exitCode: EXIT_CODES.notPermitted,
          message: `this user may not listen on port ${port} (PORT). Use a PORT of 1024 or above.`,
        };
      case 'EADDRNOTAVAIL':
      case 'ENOTFOUND':
      case 'EAI_AGAIN':
        return {
          exitCode: EXIT_CODES.config,
          message: `${host} is not an address of this machine (HOST). Use 0.0.0.0 (every interface) or 127.0.0.1 (this machine only).`,
        };
      default:
        return undefined;
    }
  };
}
