// The app: theme, the session gate (sign-in page or the console shell).
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import { SessionProvider, useSession } from './state/session.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';
import { Shell } from './layout/shell.tsx';

function Gate() {
  const { session } = useSession();
  if (session === undefined) return <Spin fullscreen tip="Loading" />;
  if (session === null) return <SignInPage />;
  return <Shell key={session.accountId} />;
}

/** Honour the operating system's "reduce motion" setting: no antd animations. */
const reducedMotion = typeof window !== 'undefined' && window.matchMedia?.('(prefers-reduced-motion: reduce)').matches === true;

export function App() {
  return (
    <ConfigProvider theme={{ token: { colorPrimary: '#ff6a00', borderRadius: 4, fontSize: 13, motion: !reducedMotion } }}>
      <AntApp>
        <SessionProvider>
          <Gate />
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}
