import type { Runtime } from '../runtime.js'

export const DEMO_LOGINS = {
  password: 'loket-demo',
  users: [] as { role: string; email: string; description: string }[],
}

/** Loads the demo organisation once; returns null when the database already has users. */
export async function seedDemo(_runtime: Runtime): Promise<{ tickets: number } | null> {
  return null
}
