import {
  onAuthStateChanged,
  signInWithEmailAndPassword,
  signOut,
  type User,
} from "firebase/auth";
import { connect, type Backend } from "./firebase";
import { alertsPanel } from "./panels/alerts";
import { attentionPanel } from "./panels/attention";
import { cutoverPanel } from "./panels/cutover";
import { lookupPanel } from "./panels/lookup";
import { notificationsPanel } from "./panels/notifications";
import { ordersPanel } from "./panels/orders";
import { overviewPanel } from "./panels/overview";
import { reconciliationPanel } from "./panels/reconciliation";
import { refundsPanel } from "./panels/refunds";
import { supplierPanel } from "./panels/supplier";
import { syncPanel } from "./panels/sync";
import { webhooksPanel } from "./panels/webhooks";
import { h } from "./ui";
import "./style.css";

const app = document.getElementById("app")!;
const account = document.getElementById("account")!;

/** Each panel shows one thing an operator acts on; it returns its section and how to stop listening. */
const PANELS = [
  overviewPanel,
  alertsPanel,
  syncPanel,
  attentionPanel,
  notificationsPanel,
  refundsPanel,
  webhooksPanel,
  cutoverPanel,
  supplierPanel,
  reconciliationPanel,
  ordersPanel,
  lookupPanel,
];

let stopListening: (() => void)[] = [];

function show(...content: Node[]): void {
  stopListening.forEach((stop) => stop());
  stopListening = [];
  app.replaceChildren(...content);
}

function signInForm(backend: Backend): HTMLElement {
  const error = h("p", { class: "error", role: "alert" });
  const email = h("input", {
    id: "email",
    type: "email",
    autocomplete: "username",
    required: true,
  });
  const password = h("input", {
    id: "password",
    type: "password",
    autocomplete: "current-password",
    required: true,
  });
  const form = h(
    "form",
    { class: "sign-in", "aria-labelledby": "sign-in-title" },
    h("h2", { id: "sign-in-title" }, "Sign in"),
    h("label", { for: "email" }, "Email"),
    email,
    h("label", { for: "password" }, "Password"),
    password,
    h("button", { type: "submit" }, "Sign in"),
    error,
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    error.textContent = "";
    signInWithEmailAndPassword(backend.auth, email.value, password.value).catch(
      () => {
        error.textContent = "That email and password do not match an account.";
      },
    );
  });
  return form;
}

function accountBar(backend: Backend, user: User): void {
  account.replaceChildren(
    h("span", {}, user.email ?? user.uid),
    h(
      "button",
      {
        type: "button",
        class: "secondary",
        onclick: () => void signOut(backend.auth),
      },
      "Sign out",
    ),
  );
}

async function main(): Promise<void> {
  const backend = await connect();
  onAuthStateChanged(backend.auth, (user) => {
    if (!user) {
      account.replaceChildren();
      show(signInForm(backend));
      return;
    }
    accountBar(backend, user);
    void user.getIdTokenResult().then((token) => {
      if (token.claims.admin !== true) {
        show(
          h(
            "section",
            {
              class: "panel",
              id: "not-admin",
              "aria-labelledby": "not-admin-title",
            },
            h("h2", { id: "not-admin-title" }, "Not an admin"),
            h(
              "p",
              {},
              `${user.email ?? "This account"} is not a DataSell admin. Ask an admin for access, or sign in with another account.`,
            ),
          ),
        );
        return;
      }
      const built = PANELS.map((make) => make(backend));
      show(
        h(
          "nav",
          { "aria-label": "Panels" },
          h(
            "ul",
            {},
            ...built.map(({ section }) =>
              h(
                "li",
                {},
                h(
                  "a",
                  { href: `#${section.id}` },
                  section.querySelector("h2")?.textContent ?? section.id,
                ),
              ),
            ),
          ),
        ),
        ...built.map((p) => p.section),
      );
      stopListening = built.map((p) => p.stop);
    });
  });
}

main().catch((error: unknown) => {
  app.replaceChildren(
    h(
      "p",
      { class: "error", role: "alert" },
      `The console could not start: ${error instanceof Error ? error.message : String(error)}`,
    ),
  );
});
