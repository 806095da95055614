import eslint from "@eslint/js";
import tseslint from "typescript-eslint";

// Dependencies point one way: triggers/ (and the composition root: wiring.ts, channelWiring.ts,
// index.ts) -> use cases -> providers/, platform/ and domain/. Each folder lists the folders it may
// import besides domain/ and the shared modules (contract, errors, firestore, logs); no cycles.
const LAYERS = {
  platform: [],
  providers: [],
  stats: [],
  wallet: ["stats"],
  orders: ["platform", "providers", "wallet"],
  supplier: ["orders", "platform", "providers", "stats"],
  sync: ["orders", "platform", "providers"],
  webhooks: ["orders", "platform", "providers"],
  reconciliation: ["platform", "providers"],
  notifications: ["orders", "platform", "providers", "stats", "supplier"],
  alerts: ["notifications", "platform"],
};
const EDGE = [
  "../triggers/*",
  "../wiring",
  "../channelWiring",
  "../index",
  "../deployConfig",
  "../settings",
];
const layerRules = Object.entries(LAYERS).map(([folder, allowed]) => ({
  files: [`src/${folder}/**/*.ts`],
  rules: {
    "no-restricted-imports": [
      "error",
      {
        patterns: [
          {
            group: [
              ...Object.keys(LAYERS)
                .filter((other) => other !== folder && !allowed.includes(other))
                .map((other) => `../${other}/*`),
              ...EDGE,
            ],
            message: `${folder}/ imports only ${["domain", ...allowed].join(", ")} and the shared modules`,
          },
        ],
      },
    ],
  },
}));

export default tseslint.config(
  { ignores: ["lib/", "node_modules/", "eslint.config.mjs"] },
  eslint.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
    },
  },
  {
    // Domain code decides; it never reads, writes or logs. Persistence and use cases live next to
    // the data they touch (orders/, notifications/, sync/, wallet/).
    files: ["src/domain/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["firebase-*", "firebase-*/**", "@google-cloud/*"],
              message: "domain/ is pure",
            },
            { group: ["../*", "!../domain"], message: "domain/ imports only domain/ and zod" },
          ],
        },
      ],
    },
  },
  ...layerRules,
  {
    // The contract is imported by the admin console's bundle: names and types only.
    files: ["src/contract.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["./*", "!./domain", "firebase-*", "firebase-*/**", "@google-cloud/*"],
              message: "contract.ts imports only domain/ types",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // chai's property assertions (`expect(x).to.be.true`) are expressions by design.
      "@typescript-eslint/no-unused-expressions": "off",
    },
  },
);
