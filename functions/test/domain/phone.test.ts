import { expect } from "chai";
import { normalizeGhanaPhone, phoneSpellings } from "../../src/domain/phone";

describe("Ghana phone numbers", () => {
  const valid: [string, string][] = [
    ["0241234567", "233241234567"],
    ["0551234567", "233551234567"],
    ["0201234567", "233201234567"],
    ["0271234567", "233271234567"],
    ["233241234567", "233241234567"],
    ["+233241234567", "233241234567"],
    ["+233 24 123 4567", "233241234567"],
    ["024-123-4567", "233241234567"],
    [" 054 123 4567 ", "233541234567"],
    ["(024) 123.4567", "233241234567"],
  ];
  for (const [raw, normalized] of valid) {
    it(`normalises ${JSON.stringify(raw)} to ${normalized}`, () => {
      expect(normalizeGhanaPhone(raw)).to.equal(normalized);
    });
  }

  const invalid = [
    "",
    "024123456",
    "02412345678",
    "2330241234567",
    "+44 7700 900123",
    "0311234567",
    "abcdefghij",
    "24123456789",
  ];
  for (const raw of invalid) {
    it(`rejects ${JSON.stringify(raw)}`, () => {
      expect(normalizeGhanaPhone(raw)).to.equal(undefined);
    });
  }

  it("rejects a missing number", () => {
    expect(normalizeGhanaPhone(undefined)).to.equal(undefined);
    expect(normalizeGhanaPhone(null)).to.equal(undefined);
  });
});

describe("phoneSpellings", () => {
  it("gives the three ways an order may store a number, from any of them", () => {
    const all = ["0241234567", "233241234567", "+233241234567"];
    for (const typed of [...all, "024 123 4567", "+233 (24) 123-4567"])
      expect(phoneSpellings(typed)).to.deep.equal(all);
  });

  it("gives nothing for what is not a Ghana mobile number", () => {
    expect(phoneSpellings("DS-SEED-FAILED")).to.deep.equal([]);
    expect(phoneSpellings("0301234567")).to.deep.equal([]);
  });
});
