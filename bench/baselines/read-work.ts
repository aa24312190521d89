/**
 * The work of `GET /users/me` and `GET /auth/me` with nothing around it: verify the same RS256
 * token with jsonwebtoken and the same public key, one indexed query with the same driver on the
 * same table, the same JSON shape. The read limit (read-limit-server.ts, bare node:http) and the
 * framework-overhead baseline (bare-koa-server.ts, Koa with no middleware) both answer with it,
 * so the difference between them is the framework alone.
 */
import { createPublicKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import mysql from 'mysql2/promise';
import sqlite3 from 'sqlite3';

type Row = Record<string, unknown>;
type QueryOne = (sql: string, params: unknown[]) => Promise<Row | undefined>;

export const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const publicKey = createPublicKey(env('JWT_PUBLIC_KEY'));
const verifyOptions: jwt.VerifyOptions = {
  algorithms: ['RS256'],
  issuer: env('JWT_ISSUER'),
  audience: env('JWT_AUDIENCE'),
  clockTolerance: 30,
};

/** The same pool size as the services (DB_POOL_MAX, default 10); SQLite: one connection, as Sequelize has. */
export async function openQuery(url: string, poolMax: number): Promise<QueryOne> {
  if (url.startsWith('sqlite:')) {
    const db = new sqlite3.Database(url.slice('sqlite:'.length));
    const run = (sql: string) => new Promise<void>((resolve, reject) => db.run(sql, (error) => (error ? reject(error) : resolve())));
    await run('PRAGMA busy_timeout = 5000');
    return (sql, params) =>
      new Promise((resolve, reject) =>
        db.get(sql, params, (error: Error | null, row: Row | undefined) => (error ? reject(error) : resolve(row))),
      );
  }
  const pool = mysql.createPool({
    uri: url.replace(/^mariadb:/, 'mysql:'),
    connectionLimit: poolMax,
    timezone: '+00:00',
    charset: 'utf8mb4',
  });
  return async (sql, params) => {
    const [rows] = await pool.query(sql, params);
    return (rows as Row[])[0];
  };
}

const iso = (value: unknown) => (value instanceof Date ? value : new Date(String(value))).toISOString();

function presentMerchant(row: Row) {
  return {
    id: row.id,
    user_id: row.user_id,
    business_name: row.business_name,
    business_type: row.business_type,
    phone: row.phone,
    website: row.website,
    address: {
      line1: row.address_line1,
      line2: row.address_line2,
      city: row.address_city,
      region: row.address_region,
      postal_code: row.address_postal_code,
      country: row.address_country,
    },
    currency: row.currency,
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

function presentUser(row: Row) {
  const methods: string[] = [];
  if (row.password_hash) methods.push('password');
  if (row.google_subject) methods.push('google');
  return {
    id: row.id,
    email: row.email,
    first_name: row.first_name,
    middle_name: row.middle_name,
    last_name: row.last_name,
    profile_picture: row.profile_picture,
    email_verified: Boolean(row.email_verified),
    roles: String(row.roles).split(','),
    auth_methods: methods,
    created_at: iso(row.created_at),
  };
}

function verify(header: string | undefined): jwt.JwtPayload | undefined {
  const token = /^Bearer\s+(.+)$/i.exec(header ?? '')?.[1];
  if (!token) return undefined;
  try {
    const claims = jwt.verify(token, publicKey, verifyOptions);
    return typeof claims === 'string' ? undefined : claims;
  } catch {
    return undefined;
  }
}

export interface Answer {
  status: number;
  body: unknown;
}

const queryOne = await openQuery(env('DATABASE_URL'), Number(process.env.DB_POOL_MAX ?? 10));

/** The answer to one request: `/healthz`, `/users/me` or `/auth/me`. */
export async function answer(method: string | undefined, url: string | undefined, authorization: string | undefined): Promise<Answer> {
  try {
    if (url === '/healthz' || url === '/readyz') return { status: 200, body: { status: 'ok' } };
    if (method !== 'GET' || (url !== '/users/me' && url !== '/auth/me')) return { status: 404, body: { error: { code: 'not_found' } } };
    const claims = verify(authorization);
    if (!claims?.sub) return { status: 401, body: { error: { code: 'invalid_token' } } };
    if (url === '/users/me') {
      const merchant = await queryOne('SELECT * FROM merchants WHERE user_id = ? LIMIT 1', [claims.sub]);
      const user = {
        id: claims.sub,
        email: claims.email,
        name: claims.name,
        email_verified: claims.email_verified,
        roles: claims.roles,
        auth_method: claims.auth_method,
      };
      return { status: 200, body: { user, merchant: merchant ? presentMerchant(merchant) : null } };
    }
    const user = await queryOne('SELECT * FROM users WHERE id = ? LIMIT 1', [claims.sub]);
    if (!user) return { status: 404, body: { error: { code: 'not_found' } } };
    if (user.disabled && Number(user.disabled) !== 0) return { status: 403, body: { error: { code: 'account_disabled' } } };
    return { status: 200, body: { user: presentUser(user) } };
  } catch {
    return { status: 500, body: { error: { code: 'internal' } } };
  }
}
