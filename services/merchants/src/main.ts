import { loadConfigOrExit } from '@merchant-platform/common/config';
import { runService } from '@merchant-platform/common/service-runtime';
import { AccessTokenVerifier } from '@merchant-platform/common/tokens/access-token';
import { RemoteJwksResolver } from '@merchant-platform/common/tokens/remote-jwks';
import { createMerchantsModule } from './app.js';
import { merchantsConfigSchema } from './config.js';

const config = loadConfigOrExit(merchantsConfigSchema);
const verifier = new AccessTokenVerifier(new RemoteJwksResolver(config.JWKS_URL), {
  issuer: config.JWT_ISSUER,
  audience: config.JWT_AUDIENCE,
});

await runService({
  service: 'merchants',
  version: '0.1.0',
  config,
  createModule: ({ db, logger, openapi }) => createMerchantsModule({ db, logger, openapi, verifier }),
});
