import { useEffect, useState } from 'react';

/** The current time, ticking every `intervalMs`, so relative ages ("3 m ago") stay true. */
export const useNow = (intervalMs = 15_000): number => {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
};
