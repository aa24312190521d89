/**
 * How a process ends when it cannot start, from sysexits.h, so a person, a script or Kubernetes
 * can tell the causes apart without reading the log. The README's Troubleshooting section lists them.
 */
export const EXIT_CODES = {
  /** EX_CONFIG: an environment variable is missing or wrong (HOST included). */
  config: 78,
  /** EX_UNAVAILABLE: the database refused the connection, its host is unknown, or it did not answer. */
  databaseUnavailable: 69,
  /** EX_NOPERM: the database refused the user or password, or the port needs privileges. */
  notPermitted: 77,
  /** EX_NOINPUT: the database named in DATABASE_URL does not exist. */
  databaseMissing: 66,
  /** EX_NOINPUT too, for operator tools: what the command reads (a Helm release, bench results) does not exist. */
  inputMissing: 66,
  /** EX_CANTCREAT: the SQLite file or DATA_DIR cannot be created or opened. */
  cannotCreate: 73,
  /** EX_TEMPFAIL: another process holds the port; retry once it is free. */
  portInUse: 75,
  /** EX_TEMPFAIL too, for operator tools: the step may not run yet (a rotation phase waits out a cache or a token lifetime). */
  tryAgainLater: 75,
} as const;
