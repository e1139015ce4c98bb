// Who is signed in. The session itself is an HttpOnly cookie the page never
// sees; the page holds only the CSRF token and the account it belongs to.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { ApiError, consoleApi, setCsrfToken, setSessionLostHandler } from '../api/rpc.ts';
import type { SessionInfo } from '../api/wire.ts';

interface SessionState {
  /** undefined while the first check runs */
  session: SessionInfo | null | undefined;
  /** why the last session ended, shown on the sign-in page */
  endedReason: string | undefined;
  signIn(accessKeyId: string, accessKeySecret: string): Promise<void>;
  signOut(): Promise<void>;
}

const Ctx = createContext<SessionState | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | null | undefined>(undefined);
  const [endedReason, setEndedReason] = useState<string>();

  const signedIn = useRef(false);
  const accept = useCallback((s: SessionInfo | null) => {
    signedIn.current = s !== null;
    setCsrfToken(s?.csrfToken ?? '');
    setSession(s);
  }, []);

  useEffect(() => {
    setSessionLostHandler(() => {
      if (!signedIn.current) return;
      setEndedReason('Your session has ended (it expired, you signed out in another tab, or the AccessKey was disabled). Sign in again.');
      accept(null);
    });
    consoleApi<SessionInfo>('GET', 'session').then(accept, (e: unknown) => {
      if (!(e instanceof ApiError) || e.code !== 'ConsoleSession.Expired') setEndedReason((e as Error).message);
      accept(null);
    });
  }, [accept]);

  const signIn = useCallback(
    async (accessKeyId: string, accessKeySecret: string) => {
      const s = await consoleApi<SessionInfo>('POST', 'session', { accessKeyId, accessKeySecret });
      setEndedReason(undefined);
      accept(s);
    },
    [accept],
  );

  const signOut = useCallback(async () => {
    try {
      await consoleApi('DELETE', 'session');
    } finally {
      setEndedReason(undefined);
      accept(null);
    }
  }, [accept]);

  const value = useMemo(() => ({ session, endedReason, signIn, signOut }), [session, endedReason, signIn, signOut]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useSession(): SessionState {
  const v = useContext(Ctx);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

/** The signed-in session (inside the shell, where it always exists). */
export function useSignedIn(): SessionInfo {
  const { session } = useSession();
  if (!session) throw new Error('not signed in');
  return session;
}
