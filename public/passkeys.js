// Passkeys in the browser: adds one in the profile and signs in with one on the sign-in
// page, through navigator.credentials and the server functions `passkeys/*`. Buttons say
// what they do with data attributes; the page's Rust code renders them, this file only acts.
(() => {
  if (window.folioPasskeys) return;
  window.folioPasskeys = true;
  const supported = () => typeof window.PublicKeyCredential === 'function';

  const toBytes = (s) => {
    const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '==='.slice((s.length + 3) % 4);
    return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  };
  const toText = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf)))
    .replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');

  async function call(endpoint, params = {}) {
    const res = await fetch(`/api/${endpoint}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: new URLSearchParams(params),
      credentials: 'same-origin',
    });
    const text = await res.text();
    if (!res.ok) throw Object.assign(new Error(text), { body: text });
    return JSON.parse(text);
  }

  function showError(button, error) {
    if (error && error.body && error.body.includes('ProofNeeded')) {
      location.assign(`/confirm-identity?next=${encodeURIComponent(location.pathname)}`);
      return;
    }
    const box = button.closest('[data-passkeys]')?.querySelector('[data-passkey-error]');
    if (box) box.hidden = false;
  }

  async function register(button) {
    const start = await call('passkeys/register-start');
    const options = JSON.parse(start.options).publicKey;
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    (options.excludeCredentials || []).forEach((c) => { c.id = toBytes(c.id); });
    const cred = await navigator.credentials.create({ publicKey: options });
    const credential = {
      id: cred.id,
      rawId: toText(cred.rawId),
      type: cred.type,
      response: {
        attestationObject: toText(cred.response.attestationObject),
        clientDataJSON: toText(cred.response.clientDataJSON),
      },
      clientExtensionResults: cred.getClientExtensionResults(),
    };
    const name = button.closest('[data-passkeys]')?.querySelector('input[name=passkey_name]')?.value || '';
    await call('passkeys/register-finish', { ceremony: start.ceremony, name, credential: JSON.stringify(credential) });
    location.reload();
  }

  async function signIn() {
    const start = await call('passkeys/sign-in-start');
    const options = JSON.parse(start.options).publicKey;
    options.challenge = toBytes(options.challenge);
    (options.allowCredentials || []).forEach((c) => { c.id = toBytes(c.id); });
    const cred = await navigator.credentials.get({ publicKey: options });
    const credential = {
      id: cred.id,
      rawId: toText(cred.rawId),
      type: cred.type,
      response: {
        authenticatorData: toText(cred.response.authenticatorData),
        clientDataJSON: toText(cred.response.clientDataJSON),
        signature: toText(cred.response.signature),
        userHandle: cred.response.userHandle ? toText(cred.response.userHandle) : null,
      },
      clientExtensionResults: cred.getClientExtensionResults(),
    };
    const home = await call('passkeys/sign-in-finish', { ceremony: start.ceremony, credential: JSON.stringify(credential) });
    location.assign(home);
  }

  function reveal() {
    if (!supported()) return;
    document.querySelectorAll('[data-passkey-sign-in][hidden], [data-passkey-register][hidden]')
      .forEach((el) => { el.hidden = false; });
  }

  document.addEventListener('click', (event) => {
    const button = event.target.closest('[data-passkey-register], [data-passkey-sign-in]');
    if (!button || !supported()) return;
    event.preventDefault();
    button.disabled = true;
    const work = button.hasAttribute('data-passkey-register') ? register(button) : signIn();
    work.catch((error) => showError(button, error)).finally(() => { button.disabled = false; });
  });
  // The buttons stay hidden where the browser has no passkeys; pages drawn later are watched.
  new MutationObserver(reveal).observe(document.documentElement, { childList: true, subtree: true });
  document.addEventListener('DOMContentLoaded', reveal);
  reveal();
})();
