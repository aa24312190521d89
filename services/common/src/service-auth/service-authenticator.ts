/** Who called: a service identity, e.g. `shared-secret` or `system:serviceaccount:platform:auth`. */
export interface ServiceCaller {
  caller: string;
}

/**
 * Checks a service credential (the bearer value). Resolves with the caller, or throws the
 * contract's error: 401 `invalid_token` for a credential that is not one, 403 `forbidden` for
 * a valid identity that may not use this service, 503 `unavailable` when the check itself
 * cannot be made.
 */
export interface ServiceAuthenticator {
  authenticate(bearer: string): Promise<ServiceCaller>;
}
