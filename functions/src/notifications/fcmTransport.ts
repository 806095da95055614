import { Agent } from "node:https";
import { connect } from "node:net";
import { getApps, initializeApp } from "firebase-admin/app";
import { getMessaging, type Messaging } from "firebase-admin/messaging";
import { defaultApp } from "../firestore";

/**
 * firebase-admin's messaging for push. In production: the default app, FCM itself. With a stand-in
 * URL (the emulators, tests; settings.ts allows only http://127.0.0.1:PORT): a separate app whose
 * HTTP agent connects every request to the stand-in, with a credential that hands out a fake token,
 * so firebase-admin's own FCM v1 code runs end to end and nothing reaches Google.
 */
export function pushMessaging(standInUrl: string): Messaging {
  if (!standInUrl) return getMessaging(defaultApp());
  const name = `fcm-stand-in-${standInUrl}`;
  const existing = getApps().find((app) => app.name === name);
  if (existing) return localMessaging(existing);
  const { port } = new URL(standInUrl);
  const agent = new Agent({ keepAlive: true });
  // The request is written as plain HTTP over this socket: the stand-in is a plain HTTP server.
  Object.assign(agent, { createConnection: () => connect(Number(port), "127.0.0.1") });
  const app = initializeApp(
    {
      projectId: defaultApp().options.projectId ?? process.env.GCLOUD_PROJECT,
      credential: {
        getAccessToken: () => Promise.resolve({ access_token: "stand-in-token", expires_in: 3600 }),
      },
      httpAgent: agent,
    },
    name,
  );
  return localMessaging(app);
}

function localMessaging(app: ReturnType<typeof initializeApp>): Messaging {
  const messaging = getMessaging(app);
  // HTTP/2 would bypass the agent; the HTTP/1.1 transport goes through it.
  messaging.enableLegacyHttpTransport();
  return messaging;
}
