import { z } from "zod";

export type Channels = { sms: boolean; push: boolean; email: boolean };

/** What a customer gets unless they chose otherwise: SMS and push, not email. */
export const DEFAULT_PREFERENCES: Readonly<Channels> = { sms: true, push: true, email: false };

const preferencesSchema = z
  .object({ sms: z.boolean(), push: z.boolean(), email: z.boolean() })
  .partial()
  .catch({});

/**
 * The channels a message goes out on: switched on for everyone (`enabled`) and chosen by the
 * customer in `users/{uid}.notificationPreferences` (unset or unreadable choices take the defaults).
 */
export function chosenChannels(stored: unknown, enabled: Channels): Channels {
  const chosen = { ...DEFAULT_PREFERENCES, ...preferencesSchema.parse(stored ?? {}) };
  return {
    sms: enabled.sms && chosen.sms,
    push: enabled.push && chosen.push,
    email: enabled.email && chosen.email,
  };
}
