/**
 * Loaded by mocha before any test (see .mocharc.json). The SES client takes its credentials from
 * the AWS SDK's default chain; the SES emulator accepts any, so the test process gets dummy ones
 * here, once and visibly, rather than as a side effect of importing a test-kit module.
 */
process.env.AWS_ACCESS_KEY_ID ??= 'test-access-key';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test-secret-key';
