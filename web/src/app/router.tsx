import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

const NAVIGATED = 'netpulse:navigate';

const subscribe = (listener: () => void): (() => void) => {
  window.addEventListener('popstate', listener);
  window.addEventListener(NAVIGATED, listener);
  return () => {
    window.removeEventListener('popstate', listener);
    window.removeEventListener(NAVIGATED, listener);
  };
};
const currentUrl = (): string => window.location.pathname + window.location.search;

export type Location = Readonly<{ pathname: string; search: string }>;

/** The page's path and query string; re-renders on navigation (links, back/forward). */
export const useLocation = (): Location => {
  const url = useSyncExternalStore(subscribe, currentUrl, () => '/');
  const queryAt = url.indexOf('?');
  return queryAt === -1
    ? { pathname: url, search: '' }
    : { pathname: url.slice(0, queryAt), search: url.slice(queryAt) };
};

/** Goes to a dashboard path without reloading; `replace` for state that should not fill history. */
export const navigate = (to: string, options: Readonly<{ replace?: boolean }> = {}): void => {
  if (to === currentUrl()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAVIGATED));
};

type LinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, 'href'> & { to: string };

/** An <a> that navigates in-app on a plain click and behaves as a link otherwise (new tab, copy). */
export const Link = ({ to, onClick, ...rest }: LinkProps) => (
  <a
    {...rest}
    href={to}
    onClick={(event: MouseEvent<HTMLAnchorElement>) => {
      onClick?.(event);
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey)
        return;
      event.preventDefault();
      navigate(to);
    }}
  />
);
