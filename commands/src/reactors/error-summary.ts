/** Turns anything thrown into a loggable shape, without stack arguments that may hold secrets. */
export const errorSummary = (error: unknown): Readonly<{ name: string; message: string; code?: string }> =>
  error instanceof Error
    ? {
        name: error.name,
        message: error.message,
        ...('code' in error && typeof error.code === 'string' ? { code: error.code } : {}),
      }
    : { name: 'NonError', message: String(error) };
