import { describe, expect, it } from "vitest";
import { parseGroup, parseGroupList, parsePostLink } from "./groups";

describe("parseGroup", () => {
  it.each([
    ["@My_Group", "@my_group", "username"],
    ["my_group", "@my_group", "username"],
    ["https://t.me/My_Group", "@my_group", "username"],
    ["t.me/my_group/", "@my_group", "username"],
    ["http://telegram.me/my_group?start=1", "@my_group", "username"],
    ["https://t.me/c/1234567890/55", "-1001234567890", "private_id"],
    ["-1001234567890", "-1001234567890", "numeric_id"],
    ["1234567890", "-1001234567890", "numeric_id"],
    ["https://t.me/+AbCdEfGhIjKl", "https://t.me/+AbCdEfGhIjKl", "invite"],
    ["https://t.me/joinchat/AbCdEfGhIjKl", "https://t.me/+AbCdEfGhIjKl", "invite"],
  ])("%s → %s", (input, normalized, kind) => {
    expect(parseGroup(input)).toMatchObject({ ok: true, normalized, kind });
  });

  it.each([
    ["@abc", /4 to 32/],
    ["@1group", /starts with a letter/],
    ["@group_", /cannot end with _/],
    ["@gro__up", /two _/],
    ["https://t.me/", /no group name/],
    ["https://t.me/c/abc/1", /number/],
    ["https://t.me/+abc", /incomplete/],
    ["https://t.me/share/url", /not a group link/],
    ["https://example.com/group", /Use @name/],
    ["12", /group id/],
  ])("rejects %s", (input, reason) => {
    const g = parseGroup(input);
    expect(g.ok).toBe(false);
    expect(g.reason).toMatch(reason);
  });
});

describe("parseGroupList", () => {
  it("skips blank lines, splits on commas and marks duplicates after normalization", () => {
    const r = parseGroupList("@one_group\n\n t.me/One_Group ,@two_group\n@bad!");
    expect(r.map((g) => [g.input, g.ok, g.duplicate ?? false])).toEqual([
      ["@one_group", true, false],
      ["t.me/One_Group", false, true],
      ["@two_group", true, false],
      ["@bad!", false, false],
    ]);
    expect(r[1].reason).toMatch(/Duplicate/);
  });
});

describe("parsePostLink", () => {
  it("accepts public and private post links", () => {
    expect(parsePostLink("https://t.me/hqadz_demo/12")).toEqual({ ok: true, channel: "@hqadz_demo", messageId: 12 });
    expect(parsePostLink("t.me/c/1234567/89")).toEqual({ ok: true, channel: "-1001234567", messageId: 89 });
    expect(parsePostLink("https://t.me/hqadz_demo/12?single")).toMatchObject({ ok: true, messageId: 12 });
  });
  it("explains what is wrong", () => {
    expect(parsePostLink("").reason).toMatch(/Paste/);
    expect(parsePostLink("https://example.com/x/1").reason).toMatch(/t\.me/);
    expect(parsePostLink("https://t.me/hqadz_demo").reason).toMatch(/post number/);
    expect(parsePostLink("https://t.me/hqadz_demo/abc").reason).toMatch(/positive number/);
    expect(parsePostLink("https://t.me/ab/1").reason).toMatch(/Channel name/);
  });
});
