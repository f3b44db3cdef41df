/**
 * A test may skip only when its backend is absent, and must say why. Under CI=true every backend
 * this machine can run is required, so an absent one fails the run instead of skipping silently.
 */
export type BackendCheck =
  | Readonly<{ available: true; reason: null }>
  | Readonly<{ available: false; reason: string }>;

export type DetectOptions = Readonly<{
  /** False for backends no machine of this kind can run (EventStoreDB, Docker): those may skip in CI. */
  requiredInCi?: boolean;
}>;

export const isCi = (): boolean => process.env.CI === 'true';

export const detectBackend = async (
  name: string,
  probe: () => Promise<unknown>,
  options: DetectOptions = {},
): Promise<BackendCheck> => {
  try {
    await probe();
    return { available: true, reason: null };
  } catch (error) {
    const reason = `${name} is not available: ${error instanceof Error ? error.message : String(error)}`;
    if (isCi() && options.requiredInCi !== false) {
      throw new Error(`${reason}; CI=true requires it, so this is a failure, not a skip`);
    }
    console.warn(`[skip] ${reason}`);
    return { available: false, reason };
  }
};
