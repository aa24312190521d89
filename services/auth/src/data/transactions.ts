import { AsyncLocalStorage } from 'node:async_hooks';
import type { Sequelize, Transaction } from 'sequelize';
import type { UnitOfWork } from '../domain/mail-outbox.js';

const ambient = new AsyncLocalStorage<Transaction>();

/**
 * The transaction a unit of work runs in, for auth's repositories to join, so use-cases say
 * "these writes together" without passing a database handle through the domain.
 */
export const currentTransaction = (): Transaction | undefined => ambient.getStore();

export class SequelizeUnitOfWork implements UnitOfWork {
  constructor(private readonly sequelize: Sequelize) {}

  run<T>(work: () => Promise<T>): Promise<T> {
    return this.sequelize.transaction((transaction) => ambient.run(transaction, work));
  }
}
