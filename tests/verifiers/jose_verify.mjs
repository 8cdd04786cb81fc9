// Verify JWTs with jose (npm) as another service would: keys from a JWKS, fetched over
// HTTP (createRemoteJWKSet) or given (createLocalJWKSet), then jwtVerify.
// Input on stdin: {"jwks_url": "..."} or {"jwks": {...}}, and "tokens": [...].
// Output: one {"ok": true, "kid", "jti"} or {"ok": false, "code"} per token, as JSON.
const jose = await import(process.env.JOSE_ENTRY);

let text = '';
for await (const chunk of process.stdin) text += chunk;
const input = JSON.parse(text);
const keys = input.jwks_url
  ? jose.createRemoteJWKSet(new URL(input.jwks_url))
  : jose.createLocalJWKSet(input.jwks);

const results = [];
for (const token of input.tokens) {
  try {
    const { payload, protectedHeader } = await jose.jwtVerify(token, keys);
    results.push({ ok: true, kid: protectedHeader.kid, jti: payload.jti });
  } catch (error) {
    results.push({ ok: false, code: error.code || error.name });
  }
}
process.stdout.write(JSON.stringify(results));
