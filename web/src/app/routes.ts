/** The dashboard's pages and their paths. Pure: the router and the tests share it. */
export type Route =
  | Readonly<{ page: 'fleet' }>
  | Readonly<{ page: 'device'; deviceId: string }>
  | Readonly<{ page: 'alerts' }>
  | Readonly<{ page: 'audit' }>
  | Readonly<{ page: 'integrations' }>
  | Readonly<{ page: 'not-found'; path: string }>;

export const matchRoute = (pathname: string): Route => {
  const path = pathname.replace(/\/+$/, '') || '/';
  if (path === '/' || path === '/fleet') return { page: 'fleet' };
  if (path === '/alerts') return { page: 'alerts' };
  if (path === '/audit') return { page: 'audit' };
  if (path === '/integrations') return { page: 'integrations' };
  const device = /^\/devices\/([^/]+)$/.exec(path);
  if (device?.[1]) {
    try {
      return { page: 'device', deviceId: decodeURIComponent(device[1]) };
    } catch {
      return { page: 'not-found', path };
    }
  }
  return { page: 'not-found', path };
};

export const devicePath = (deviceId: string): string => `/devices/${encodeURIComponent(deviceId)}`;
