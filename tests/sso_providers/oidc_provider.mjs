// A real OpenID Connect provider for the test suite, built on the `oidc-provider` package.
//
// The tests start it through tests/sso_providers/oidc.py; to look at it by hand:
//   PORT=9000 CLIENT_ID=tandem-test CLIENT_SECRET=secret node tests/sso_providers/oidc_provider.mjs
//
// Environment:
//   PORT           port on 127.0.0.1 to listen on; 0 picks a free one
//   CLIENT_ID      the one confidential client (Tandem) ...
//   CLIENT_SECRET  ... and its secret (client_secret_basic; client_secret_post works too)
//
// Once ready it prints exactly one line on stdout, `listening <issuer>`; everything else (the
// package's development-only warnings) goes to stderr.
//
// Signing in uses the package's built-in development pages: /interaction/:uid shows a form with
// `login` and `password`. Any password is accepted; the login becomes the account:
//   sub = login lowercased, email = login as typed, name = the part before "@", title-cased.
// There is no consent screen: every sign-in is granted `openid email profile`.

import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:http';

import Provider from 'oidc-provider';

const { PORT = '0', CLIENT_ID, CLIENT_SECRET } = process.env;
if (!CLIENT_ID || !CLIENT_SECRET) {
  console.error('CLIENT_ID and CLIENT_SECRET must be set');
  process.exit(2);
}

// The app's callback path; any of these hosts, on any port, may receive the code.
const CALLBACK_PATH = '/accounts/sso/oidc/callback/';
const TEST_HOSTS = new Set(['testserver', '127.0.0.1', 'localhost']);

// The issuer contains the port, and the port is only known once the server listens (PORT=0).
// So: listen first with a placeholder handler, then build the provider and hand it the requests.
let handle = (req, res) => {
  res.statusCode = 503;
  res.end();
};
const server = createServer((req, res) => handle(req, res));
await new Promise((resolve) => {
  server.listen(Number(PORT), '127.0.0.1', resolve);
});
const issuer = `http://127.0.0.1:${server.address().port}`;

// A fresh RSA key per run signs the ID tokens (published at /jwks).
const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' };

// Lowercased login -> the login as typed (the latest spelling); see interactionResult below.
const typedLogins = new Map();

// "ada.lovelace@example.org" -> "Ada Lovelace"
function nameFrom(login) {
  const local = login.split('@')[0];
  return local
    .split(/[._\-\s]+/)
    .filter(Boolean)
    .map((word) => word[0].toUpperCase() + word.slice(1).toLowerCase())
    .join(' ');
}

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: CLIENT_ID,
      client_secret: CLIENT_SECRET,
      // A placeholder: redirectUriAllowed below decides (the test ports are not known here).
      redirect_uris: [`http://testserver${CALLBACK_PATH}`],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      // oidc-provider accepts client_secret_post for a client registered with _basic too.
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  jwks: { keys: [signingKey] },
  // Cookie signing keys; a fixed value is fine for a throw-away test provider. The cookies are
  // only marked Secure when the request is https, so they work over plain http.
  cookies: { keys: ['tandem-test-provider-cookie-key'] },
  scopes: ['openid', 'email', 'profile'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name'],
  },
  // By default (true) a `code` flow's ID token carries only `sub`, the rest is left to the
  // userinfo endpoint. The app reads the email from the ID token, so put the claims in it.
  conformIdTokenClaims: false,
  features: {
    devInteractions: { enabled: true }, // the built-in login form at /interaction/:uid
  },
  // PKCE: the default already accepts S256 (the only method) and requires it only for public
  // clients, so a confidential client may send it or not.

  // `accountId` is the login lowercased (see interactionResult below), which oidc-provider
  // also uses as `sub`.
  async findAccount(ctx, accountId) {
    const email = typedLogins.get(accountId) ?? accountId;
    return {
      accountId,
      async claims() {
        return { sub: accountId, email, email_verified: true, name: nameFrom(email) };
      },
    };
  },

  // Skip the consent screen: grant the client every scope and claim it may ask for.
  async loadExistingGrant(ctx) {
    const grantId =
      ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    const grant = new ctx.oidc.provider.Grant({
      accountId: ctx.oidc.account.accountId,
      clientId: ctx.oidc.client.clientId,
    });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['sub', 'email', 'email_verified', 'name']);
    await grant.save();
    return grant;
  },
});

// Test-only: accept the callback path on the test hosts at any port. The Django test client
// calls itself http://testserver, the browser tests run a live server on a random port, so a
// fixed list of redirect URIs cannot be registered in advance. Never do this in production.
provider.Client.prototype.redirectUriAllowed = function redirectUriAllowed(value) {
  try {
    const url = new URL(value);
    return (
      url.protocol === 'http:'
      && TEST_HOSTS.has(url.hostname)
      && url.pathname.endsWith(CALLBACK_PATH)
    );
  } catch {
    return false;
  }
};

// oidc-provider always takes `sub` from the account id, and the built-in login form makes the
// typed login the account id. To get sub = login lowercased while the email keeps the typed
// spelling, lowercase the id when the login is submitted and remember how it was typed.
const interactionResult = provider.interactionResult.bind(provider);
provider.interactionResult = (req, res, result, options) => {
  if (result.login?.accountId) {
    const typed = result.login.accountId;
    typedLogins.set(typed.toLowerCase(), typed);
    result = { ...result, login: { ...result.login, accountId: typed.toLowerCase() } };
  }
  return interactionResult(req, res, result, options);
};

handle = provider.callback();
console.log(`listening ${issuer}`);

// Exit at once when the test suite terminates us (open keep-alive connections don't matter).
for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => process.exit(0));
}
