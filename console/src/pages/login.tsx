import { useState } from 'preact/hooks';
import { api, ApiError, errorText } from '../api.js';
import { Alert } from '../components/bits.js';

export function Login({ onLogin, loggedOut }: { onLogin: () => void; loggedOut: boolean }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.login(token.trim());
      setToken('');
      onLogin();
    } catch (failure) {
      setError(failure instanceof ApiError && failure.status === 401 ? 'That is not the admin token.' : errorText(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="login">
      <form class="card login-card" onSubmit={(event) => void submit(event)}>
        <div class="brand large">
          <Logo />
          <span>
            smsgate <span class="muted">console</span>
          </span>
        </div>
        <h1>Log in</h1>
        {loggedOut && <Alert tone="info">You are logged out.</Alert>}
        <label for="token">Admin token</label>
        <input
          id="token"
          type="password"
          autocomplete="current-password"
          placeholder="sgadm_…"
          value={token}
          onInput={(event) => setToken(event.currentTarget.value)}
          required
          autoFocus
        />
        <p class="hint">
          Printed once on the gateway's first start, beside the sample client. Lost it? <code>npx smsgate admin token rotate</code>{' '}
          prints a new one.
        </p>
        {error !== null && <Alert>{error}</Alert>}
        <button type="submit" class="button primary wide" disabled={busy || token.trim() === ''}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}

export function Logo() {
  return (
    <svg class="logo" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill="var(--accent)" />
      <path d="M8 11h16v9H14l-4 4v-4H8z" fill="#fff" />
    </svg>
  );
}
