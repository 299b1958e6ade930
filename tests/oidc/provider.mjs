// A real OpenID Connect provider (oidc-provider) on 127.0.0.1 for Coordinator's tests.
//
// Settings come from the environment (tests/oidc_provider.py sets them all):
//   OIDC_PORT                        port to listen on; 0 (the default) picks a free one
//   OIDC_CLIENT_ID, OIDC_CLIENT_SECRET
//   OIDC_REDIRECT_URIS               space-separated; see "Loopback redirect URIs" below
//   OIDC_POST_LOGOUT_REDIRECT_URIS   space-separated, same rule
//   OIDC_TOKEN_ENDPOINT_AUTH_METHOD  client_secret_basic (default) or client_secret_post
//   OIDC_USERS                       JSON list of {sub, email, email_verified, name, password}
//   OIDC_EXIT_WITH_STDIN             "1": exit when stdin closes, so that a test run that
//                                    dies cannot leave the provider behind
//   OIDC_ISSUER                      optional: the issuer to announce instead of this
//                                    server's own address (a proxy in front of it)
//   OIDC_SIGNING_KEY                 optional: the private signing key as a JWK (JSON), so
//                                    that a test can mint tokens the provider could have
//
// The first line on stdout is `READY <issuer> <own address>` once the provider accepts
// requests (the two differ only with OIDC_ISSUER); nothing
// else is written to stdout. Everything is kept in memory and forgotten on exit.
//
// Users sign in on this provider's own page (e-mail and password). Consent is not asked:
// the one client is first-party, as a county board's own identity provider would treat it.
//
// Loopback redirect URIs: a registered http URI on 127.0.0.1 or localhost WITHOUT a port
// accepts that URI on any port (the rule of RFC 8252 section 7.3, which oidc-provider
// applies to native clients only). Coordinator's live test server binds port 0, so its
// callback URL is known only after this provider has started.

import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';

import { Provider } from 'oidc-provider';

// stdout carries the READY line alone, and nobody reads it afterwards: a full pipe would
// stall the provider. oidc-provider prints its notices with console.info.
console.info = console.error;
console.log = console.error;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost']);
const MAX_FORM_BYTES = 16 * 1024;

function setting(name, fallback) {
  const value = process.env[name];
  if (value === undefined || value === '') {
    if (fallback === undefined) {
      throw new Error(`${name} is not set (see the top of tests/oidc/provider.mjs)`);
    }
    return fallback;
  }
  return value;
}

function uriList(name) {
  return setting(name, '').split(/\s+/).filter(Boolean);
}

function loadUsers() {
  const users = JSON.parse(setting('OIDC_USERS'));
  for (const user of users) {
    for (const field of ['sub', 'email', 'name', 'password']) {
      if (typeof user[field] !== 'string' || !user[field]) {
        throw new Error(`OIDC_USERS: every user needs a non-empty string "${field}"`);
      }
    }
    if (typeof user.email_verified !== 'boolean') {
      throw new Error('OIDC_USERS: every user needs a boolean "email_verified"');
    }
  }
  return users;
}

/** A fresh signing key for each run: tokens from an earlier run must not verify. */
function signingKey() {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomBytes(8).toString('hex');
  return { ...privateKey.export({ format: 'jwk' }), kid, use: 'sig', alg: 'RS256' };
}

/** True when `value` is a port-less registered loopback URI with some port added. */
function loopbackMatch(value, registered) {
  const asked = URL.parse(value);
  if (!asked || asked.protocol !== 'http:' || !LOOPBACK_HOSTS.has(asked.hostname)) {
    return false;
  }
  return registered.some((uri) => {
    const allowed = URL.parse(uri);
    return (
      allowed !== null
      && allowed.port === ''
      && allowed.protocol === asked.protocol
      && allowed.hostname === asked.hostname
      && allowed.pathname === asked.pathname
      && allowed.search === asked.search
    );
  });
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A self-contained page: no script, style sheet or font from elsewhere. */
function page(title, body) {
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>`;
}

function loginPage(uid, { email = '', error = '' } = {}) {
  const alert = error ? `<p role="alert" id="error">${escapeHtml(error)}</p>` : '';
  return page('Test identity provider: sign in', `${alert}
<form method="post" action="/interaction/${escapeHtml(uid)}/login">
  <p><label for="email">E-mail</label>
  <input id="email" name="email" type="email" autocomplete="username" value="${escapeHtml(email)}" required></p>
  <p><label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required></p>
  <p><button type="submit">Sign in</button></p>
</form>
<p><a href="/interaction/${escapeHtml(uid)}/abort">Cancel</a></p>`);
}

async function readForm(req) {
  let size = 0;
  const chunks = [];
  for await (const chunk of req) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) {
      throw new Error('form too large');
    }
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function configuration({ client, users, keys }) {
  const bySub = new Map(users.map((user) => [user.sub, user]));
  return {
    clients: [client],
    jwks: { keys: [keys] },
    cookies: { keys: [randomBytes(32).toString('hex')] },
    // PKCE with S256 (the only method oidc-provider supports) even for a confidential client.
    pkce: { required: () => true },
    responseTypes: ['code'],
    scopes: ['openid', 'email', 'profile'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // By OpenID Connect Core 5.4 the claims of the email and profile scopes would only be
    // served from userinfo when an access token is issued; put them in the ID token too.
    conformIdTokenClaims: false,
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource(ctx, form) {
          ctx.body = page('Test identity provider: sign out', `${form}
<p><button type="submit" form="op.logoutForm" name="logout" value="yes">Yes, sign me out</button></p>
<p><button type="submit" form="op.logoutForm">No, stay signed in</button></p>`);
        },
        postLogoutSuccessSource(ctx) {
          ctx.body = page('Test identity provider: signed out', '<p>You are signed out.</p>');
        },
      },
    },
    interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
    async findAccount(ctx, sub) {
      const user = bySub.get(sub);
      if (!user) {
        return undefined;
      }
      return {
        accountId: user.sub,
        async claims() {
          return {
            sub: user.sub,
            email: user.email,
            email_verified: user.email_verified,
            name: user.name,
          };
        },
      };
    },
    async renderError(ctx, out) {
      ctx.type = 'html';
      const lines = Object.entries(out)
        .map(([key, value]) => `<p><strong>${escapeHtml(key)}</strong>: ${escapeHtml(value)}</p>`)
        .join('\n');
      ctx.body = page('Test identity provider: error', lines);
    },
    ttl: {
      AccessToken: 600,
      AuthorizationCode: 60,
      IdToken: 600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
  };
}

/** Allow port-less loopback URIs on any port (see the top of this file). */
function allowLoopbackPorts(provider) {
  const proto = provider.Client.prototype;
  const exactRedirect = proto.redirectUriAllowed;
  const exactPostLogout = proto.postLogoutRedirectUriAllowed;
  proto.redirectUriAllowed = function redirectUriAllowed(value) {
    return exactRedirect.call(this, value) || loopbackMatch(value, this.redirectUris);
  };
  proto.postLogoutRedirectUriAllowed = function postLogoutRedirectUriAllowed(value) {
    return exactPostLogout.call(this, value)
      || loopbackMatch(value, this.postLogoutRedirectUris ?? []);
  };
}

/** The sign-in page and its answers, at the URL given in `interactions.url`. */
function interactions(provider, users) {
  const byEmail = new Map(users.map((user) => [user.email.toLowerCase(), user]));

  return async function interaction(ctx, next) {
    const match = /^\/interaction\/([\w-]+)(\/login|\/abort)?$/.exec(ctx.path);
    if (!match) {
      return next();
    }
    const [, uid, action = ''] = match;
    ctx.set('cache-control', 'no-store');
    try {
      const details = await provider.interactionDetails(ctx.req, ctx.res);
      if (details.uid !== uid) {
        ctx.throw(400, 'this sign-in belongs to another interaction');
      }
      let result;
      if (action === '/abort' && ctx.method === 'GET') {
        result = { error: 'access_denied', error_description: 'End-User aborted interaction' };
      } else if (details.prompt.name === 'consent' && action === '' && ctx.method === 'GET') {
        result = { consent: { grantId: await grantAll(provider, details) } };
      } else if (details.prompt.name === 'login' && action === '' && ctx.method === 'GET') {
        ctx.type = 'html';
        ctx.body = loginPage(uid, { email: details.params.login_hint ?? '' });
        return undefined;
      } else if (details.prompt.name === 'login' && action === '/login' && ctx.method === 'POST') {
        const form = await readForm(ctx.req);
        const email = form.get('email') ?? '';
        const user = byEmail.get(email.trim().toLowerCase());
        if (!user || user.password !== form.get('password')) {
          ctx.type = 'html';
          ctx.body = loginPage(uid, { email, error: 'Wrong e-mail or password.' });
          return undefined;
        }
        result = { login: { accountId: user.sub } };
      } else {
        ctx.throw(405, `${ctx.method} ${ctx.path} is not part of the ${details.prompt.name} step`);
      }
      const returnTo = await provider.interactionResult(ctx.req, ctx.res, result, {
        mergeWithLastSubmission: !('error' in result),
      });
      ctx.redirect(returnTo);
      ctx.status = 303;
    } catch (error) {
      ctx.status = error.status ?? error.statusCode ?? 500;
      ctx.type = 'html';
      ctx.body = page('Test identity provider: error', `<p>${escapeHtml(error.message)}</p>`);
    }
    return undefined;
  };
}

/** Consent without asking: grant what the client asked for (a first-party client). */
async function grantAll(provider, details) {
  const { prompt: { details: missing }, params, session, grantId } = details;
  const grant = grantId
    ? await provider.Grant.find(grantId)
    : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
  if (missing.missingOIDCScope) {
    grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  }
  if (missing.missingOIDCClaims) {
    grant.addOIDCClaims(missing.missingOIDCClaims);
  }
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(' '));
  }
  return grant.save();
}

async function main() {
  const users = loadUsers();
  const client = {
    client_id: setting('OIDC_CLIENT_ID'),
    client_secret: setting('OIDC_CLIENT_SECRET'),
    redirect_uris: uriList('OIDC_REDIRECT_URIS'),
    post_logout_redirect_uris: uriList('OIDC_POST_LOGOUT_REDIRECT_URIS'),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: setting('OIDC_TOKEN_ENDPOINT_AUTH_METHOD', 'client_secret_basic'),
  };
  if (client.redirect_uris.length === 0) {
    throw new Error('OIDC_REDIRECT_URIS is not set (see the top of tests/oidc/provider.mjs)');
  }

  // The issuer names the port, so listen first and build the provider afterwards.
  let handle = (req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = createServer((req, res) => handle(req, res));
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(setting('OIDC_PORT', '0')), '127.0.0.1', resolve);
  });
  const issuer = setting('OIDC_ISSUER', `http://127.0.0.1:${server.address().port}`);
  const keys = process.env.OIDC_SIGNING_KEY ? JSON.parse(process.env.OIDC_SIGNING_KEY) : signingKey();

  const provider = new Provider(issuer, configuration({ client, users, keys }));
  allowLoopbackPorts(provider);
  provider.use(interactions(provider, users));
  provider.on('server_error', (ctx, error) => console.error('server_error', error));
  handle = provider.callback();

  if (process.env.OIDC_EXIT_WITH_STDIN === '1') {
    process.stdin.on('end', () => process.exit(0));
    process.stdin.resume();
  }
  process.on('SIGTERM', () => process.exit(0));
  process.stdout.write(`READY ${issuer} http://127.0.0.1:${server.address().port}\n`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
