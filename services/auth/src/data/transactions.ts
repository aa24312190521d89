/**
 * The transaction a unit of work runs in, for auth's repositories to join, so use-cases say
 * "these writes together" without passing a database handle through the domain. It is the
 * common ambient transaction, which the event recorder joins too.
 */
export { currentTransaction, SequelizeUnitOfWork } from '@merchant-platform/common/db/transaction-scope';
