/** Every secret and address auth needs in production, the WebAuthn relying party aside. */
export const PRODUCTION_SECRETS = {
  NODE_ENV: 'production',
  DATABASE_URL: 'mysql://u:p@db:3306/auth',
  SESSION_KEYS: 'k',
  EMAIL_SERVICE_URL: 'http://email:8080',
  MERCHANTS_SERVICE_URL: 'http://merchants:8080',
  JWT_PRIVATE_KEY: 'pem',
  SERVICE_TOKEN: 'a-service-token-of-some-length',
  PASSWORD_PEPPER: 'a-test-pepper-of-at-least-32-characters',
};
