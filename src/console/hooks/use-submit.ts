// Sending a change from a dialog: busy while it runs, the refusal kept for the
// dialog to show (ApiErrorAlert), cleared when the user tries again. The
// write-side twin of useAsync; every dialog used to spell this out itself.
import { useCallback, useRef, useState } from 'react';

export interface SubmitState<A extends unknown[]> {
  busy: boolean;
  /** the last attempt's error (an ApiError carries the API's Code and Message), until the next attempt */
  error: unknown;
  /** runs the work; never throws (the error lands in `error`) */
  run: (...args: A) => Promise<void>;
}

export function useSubmit<A extends unknown[]>(work: (...args: A) => Promise<void>): SubmitState<A> {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const workRef = useRef(work);
  workRef.current = work;
  const run = useCallback(async (...args: A) => {
    setBusy(true);
    setError(undefined);
    try {
      await workRef.current(...args);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }, []);
  return { busy, error, run };
}
