import nock from "nock";

/** The unit suite needs no Java and no emulator; its only sockets are nock's and refused local ports. */
export function mochaGlobalSetup(): void {
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
}
