/** Waits `ms`, or less when `abort` settles first (the timer is cleared either way). */
export const sleep = async (ms: number, abort: Promise<void>): Promise<void> => {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, ms);
      }),
      abort,
    ]);
  } finally {
    clearTimeout(timer);
  }
};
