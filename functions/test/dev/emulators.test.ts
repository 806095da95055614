import { expect } from "chai";
import {
  assertEmulatorOnly,
  findFirestoreEmulatorJar,
  MissingEmulatorError,
} from "../../dev/emulators";

describe("emulator harness", () => {
  it("refuses to run when FIRESTORE_EMULATOR_HOST is unset", () => {
    expect(() => assertEmulatorOnly({ GCLOUD_PROJECT: "demo-x" }))
      .to.throw(MissingEmulatorError)
      .with.property("message")
      .that.contains("FIRESTORE_EMULATOR_HOST");
  });

  it("refuses a project id that is not a demo- project", () => {
    expect(() =>
      assertEmulatorOnly({
        FIRESTORE_EMULATOR_HOST: "127.0.0.1:1",
        GCLOUD_PROJECT: "datasell-prod",
      }),
    )
      .to.throw(MissingEmulatorError)
      .with.property("message")
      .that.contains("demo-");
  });

  it("names the missing jar when FIRESTORE_EMULATOR_JAR points nowhere", () => {
    expect(() => findFirestoreEmulatorJar({ FIRESTORE_EMULATOR_JAR: "/nope/emulator.jar" }))
      .to.throw(MissingEmulatorError)
      .with.property("message")
      .that.contains("/nope/emulator.jar");
  });

  it("accepts an emulator host on a demo- project", () => {
    expect(() =>
      assertEmulatorOnly({ FIRESTORE_EMULATOR_HOST: "127.0.0.1:1", GCLOUD_PROJECT: "demo-x" }),
    ).not.to.throw();
  });
});
