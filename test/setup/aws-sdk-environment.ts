/**
 * Loaded by mocha before any test (see .mocharc.json), so no test-kit module changes the
 * environment as a side effect of being imported.
 *
 * - The SES client takes its credentials from the AWS SDK's default chain; the SES emulator
 *   accepts any, so the test process gets dummy ones.
 * - On Node 20 the SDK warns once per process that its releases after January 2027 need Node 22.
 *   services/email pins a release that supports Node 20, so in test output it is noise.
 */
process.env.AWS_ACCESS_KEY_ID ??= 'test-access-key';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test-secret-key';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
