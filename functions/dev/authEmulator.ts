export interface DemoUser {
  uid: string;
  email: string;
  admin?: boolean;
}

/** The password of every demo account the local stack creates. */
export const DEMO_PASSWORD = "demo-password";

async function post(url: string, body: unknown, admin = false): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      ...(admin ? { Authorization: "Bearer owner" } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok && !JSON.stringify(json).includes("DUPLICATE")) {
    throw new Error(`Auth emulator: HTTP ${response.status} ${JSON.stringify(json)}`);
  }
  return json;
}

/**
 * An ID token from the Auth emulator for this user, created on first use, with the `admin` custom
 * claim set or cleared as asked.
 */
export async function idTokenFor(
  authHost: string,
  projectId: string,
  user: DemoUser,
): Promise<string> {
  const base = `http://${authHost}/identitytoolkit.googleapis.com/v1`;
  await post(
    `${base}/projects/${projectId}/accounts`,
    { localId: user.uid, email: user.email, password: DEMO_PASSWORD },
    true,
  );
  await post(
    `${base}/projects/${projectId}/accounts:update`,
    { localId: user.uid, customAttributes: JSON.stringify(user.admin ? { admin: true } : {}) },
    true,
  );
  const session = await post(`${base}/accounts:signInWithPassword?key=fake-api-key`, {
    email: user.email,
    password: DEMO_PASSWORD,
    returnSecureToken: true,
  });
  return String(session.idToken);
}

/** Changes an account in the Auth emulator as an admin would (disable it, revoke its sessions). */
export async function updateAccount(
  authHost: string,
  projectId: string,
  uid: string,
  fields: { disableUser?: boolean; validSince?: string },
): Promise<void> {
  await post(
    `http://${authHost}/identitytoolkit.googleapis.com/v1/projects/${projectId}/accounts:update`,
    { localId: uid, ...fields },
    true,
  );
}
