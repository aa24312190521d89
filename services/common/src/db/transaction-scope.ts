import { AsyncLocalStorage } from 'node:async_hooks';
import type { Sequelize, Transaction, TransactionOptions } from 'sequelize';

const ambient = new AsyncLocalStorage<Transaction>();

/**
 * The transaction the current unit of work runs in, so repositories (and the event recorder)
 * join it without a database handle being passed through the domain.
 */
export const currentTransaction = (): Transaction | undefined => ambient.getStore();

/**
 * Runs `work` in the ambient transaction when there is one, else in a new transaction made
 * ambient: a repository's own transaction and a use-case's wider one become the same one, so
 * an event recorded beside the change commits or rolls back with it.
 */
export function withTransaction<T>(
  sequelize: Sequelize,
  work: (transaction: Transaction) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const current = ambient.getStore();
  if (current) return work(current);
  return sequelize.transaction(options, (transaction) => ambient.run(transaction, () => work(transaction)));
}

/** A unit of work over the ambient transaction: joins the running one, or starts one. */
export class SequelizeUnitOfWork {
  /** `options` (an isolation level) apply to the transactions this unit of work starts. */
  constructor(
    private readonly sequelize: Sequelize,
    private readonly options: TransactionOptions = {},
  ) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    return withTransaction(this.sequelize, () => work(), this.options);
  }
}
