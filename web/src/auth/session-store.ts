import { type Identity, parseSession, type Session } from './session';

const STORAGE_KEY = 'netpulse.session';

/**
 * The signed-in session, kept in localStorage so a reload (or a wall display's restart) stays
 * signed in until the refresh token expires. React reads it through `subscribe`/`get`.
 */
export class SessionStore {
  private session: Session | null;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Storage | null) {
    this.session = parseSession(storage?.getItem(STORAGE_KEY) ?? null);
    if (this.session && Date.parse(this.session.refreshTokenExpiresAt) <= Date.now()) this.clear();
  }

  get = (): Session | null => this.session;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(session: Session): void {
    this.session = session;
    this.storage?.setItem(STORAGE_KEY, JSON.stringify(session));
    this.emit();
  }

  /** Keeps the tokens, replaces what `me` says about the caller (roles may have changed). */
  updateIdentity(identity: Identity): void {
    if (!this.session) return;
    const same = JSON.stringify(this.session.identity) === JSON.stringify(identity);
    if (!same) this.set({ ...this.session, identity });
  }

  clear(): void {
    if (this.session === null) return;
    this.session = null;
    this.storage?.removeItem(STORAGE_KEY);
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
