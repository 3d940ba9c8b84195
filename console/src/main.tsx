import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, whenUnauthorized, type Session } from './api.js';
import { ClientsPage } from './pages/clients.js';
import { LivePage } from './pages/live.js';
import { Login, Logo } from './pages/login.js';
import { MessagePage } from './pages/message.js';
import { MessagesPage } from './pages/messages.js';
import { TemplatesPage } from './pages/templates.js';
import { href, useRoute, type Route } from './router.js';
import './styles/base.css';
import './styles/shell.css';
import './styles/controls.css';
import './styles/live.css';
import './styles/lists.css';
import './styles/detail.css';
import './styles/templates.css';
import './styles/narrow.css';

type Auth = { state: 'checking' } | { state: 'out'; loggedOut: boolean } | { state: 'in'; session: Session };

const PAGES = [
  { path: '/live', label: 'Live' },
  { path: '/messages', label: 'Messages' },
  { path: '/clients', label: 'Clients' },
  { path: '/templates', label: 'Templates' },
] as const;

function App() {
  const [auth, setAuth] = useState<Auth>({ state: 'checking' });
  const route = useRoute();

  const check = () =>
    api.session().then(
      (session) => setAuth({ state: 'in', session }),
      () => setAuth({ state: 'out', loggedOut: false }),
    );
  useEffect(() => {
    whenUnauthorized(() => setAuth({ state: 'out', loggedOut: false }));
    void check();
  }, []);

  if (auth.state === 'checking') return <div class="splash" aria-busy="true" />;
  if (auth.state === 'out') return <Login loggedOut={auth.loggedOut} onLogin={() => void check()} />;

  const logout = async () => {
    try {
      await api.logout();
    } finally {
      setAuth({ state: 'out', loggedOut: true });
    }
  };

  return (
    <div class="shell">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="topbar">
        <a class="brand" href={href('/live')}>
          <Logo />
          <span>
            smsgate <span class="muted">console</span>
          </span>
        </a>
        <nav aria-label="Pages">
          {PAGES.map((page) => {
            const active = route.path === page.path || route.path.startsWith(`${page.path}/`);
            return (
              <a key={page.path} href={href(page.path)} aria-current={active ? 'page' : undefined}>
                {page.label}
              </a>
            );
          })}
        </nav>
        <button type="button" class="button ghost small logout" onClick={() => void logout()}>
          Log out
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} session={auth.session} />
      </main>
    </div>
  );
}

function Page({ route, session }: { route: Route; session: Session }) {
  const message = /^\/messages\/(.+)$/.exec(route.path);
  if (message !== null) return <MessagePage smsUid={decodeURIComponent(message[1]!)} />;
  switch (route.path) {
    case '/messages':
      return <MessagesPage route={route} />;
    case '/clients':
      return <ClientsPage publicUrl={session.public_url} />;
    case '/templates':
      return <TemplatesPage />;
    default:
      return <LivePage />;
  }
}

render(<App />, document.getElementById('app')!);
